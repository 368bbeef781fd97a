package io.stratadb.sql.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.EngineConfig;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Engine options in a {@code jdbc:strata:} URL ({@code failover=auto} and the intervals) reach the engine: a
 * server started with {@code --url '...;failover=auto'} must really fail over.
 */
class EngineOptionsUrlTest {
    @Test
    void failoverAndIntervalsReachTheEngineOptions() {
        Properties p = new Properties();
        p.setProperty("name", "opts");
        p.setProperty("failover", "auto");
        p.setProperty("failover_backoff_ms", "2000");
        p.setProperty("checkpoint_interval_ms", "500");
        p.setProperty("publish_interval_ms", "3");
        p.setProperty("pickup_interval_ms", "40");
        p.setProperty("lex", "JAVA"); // a Calcite property: not the engine's
        EngineConfig c = ConnectionSession.config(p);
        assertEquals("auto", c.options().get("failover"));
        assertEquals("2000", c.options().get("failover_backoff_ms"));
        assertEquals("500", c.options().get("checkpoint_interval_ms"));
        assertEquals("3", c.options().get("publish_interval_ms"));
        assertEquals("40", c.options().get("pickup_interval_ms"));
        assertFalse(c.options().containsKey("lex"));
    }

    @Test
    void aBadFailoverValueInTheUrlIsRefused() {
        SQLException e = assertThrows(
                SQLException.class, () -> DriverManager.getConnection("jdbc:strata:name=badfailover;failover=often"));
        assertEquals("22023", e.getSQLState(), e.getMessage());
        assertTrue(String.valueOf(e.getMessage()).contains("failover"), e.getMessage());
    }
}
