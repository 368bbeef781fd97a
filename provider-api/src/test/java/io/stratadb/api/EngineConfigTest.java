package io.stratadb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineConfigTest {
    @Test
    void parsesTheContractProperties() {
        EngineConfig c = EngineConfig.fromProperties(Map.of(
                "path", "/tmp/db1",
                "role", "follower",
                "durability", "none",
                "timestamps", "application",
                "cache", "64m",
                "custom", "x"));
        assertEquals(Path.of("/tmp/db1"), c.path());
        assertEquals(Role.FOLLOWER, c.role());
        assertEquals(Durability.NONE, c.durability());
        assertEquals(TimestampMode.APPLICATION, c.timestamps());
        assertEquals(64L << 20, c.cacheBytes());
        assertEquals("x", c.options().get("custom"));
        assertEquals(Path.of("/tmp/db1/pagelog").toUri(), c.pageLogUri());
    }

    @Test
    void defaultsFollowTheContract() {
        EngineConfig mem = EngineConfig.inMemory();
        assertNull(mem.path());
        assertEquals(Role.LEADER, mem.role());
        assertEquals(Durability.NONE, mem.durability());
        assertEquals(Durability.FSYNC, EngineConfig.at(Path.of("/tmp/x")).durability());
    }

    @Test
    void badValuesNameTheKey() {
        StrataException e =
                assertThrows(StrataException.class, () -> EngineConfig.fromProperties(Map.of("role", "king")));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("role"));
        assertThrows(StrataException.class, () -> EngineConfig.fromProperties(Map.of("cache", "lots")));
        assertThrows(StrataException.class, () -> EngineConfig.fromProperties(Map.of("cache", "-5")));
    }
}
