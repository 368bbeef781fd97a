package io.stratadb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StorageProvidersTest {
    static class First implements StorageProvider {
        @Override
        public String name() {
            return "dup";
        }

        @Override
        public Engine open(EngineConfig config) {
            throw new UnsupportedOperationException("not used");
        }
    }

    static class Second extends First {}

    @Test
    void duplicateNameFailsNamingBothClasses() {
        StrataException e =
                assertThrows(StrataException.class, () -> StorageProviders.index(List.of(new First(), new Second())));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(First.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(Second.class.getName()), e.getMessage());
    }

    @Test
    void sameClassThroughTwoLoadersCountsOnce() {
        assertEquals(
                1, StorageProviders.index(List.of(new First(), new First())).size());
    }

    @Test
    void unknownNameListsKnownOnes() {
        StrataException e = assertThrows(StrataException.class, () -> StorageProviders.get("no-such-engine"));
        assertTrue(e.getMessage().contains("no-such-engine"));
    }
}
