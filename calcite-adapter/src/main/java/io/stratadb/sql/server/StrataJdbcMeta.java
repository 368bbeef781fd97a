package io.stratadb.sql.server;

import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.jdbc.JdbcMeta;

/**
 * Avatica's JDBC-backed Meta for the server, with a way to evict idle connections on a schedule (Avatica only
 * evicts them lazily, on later cache activity).
 *
 * <p>Invariants: evicting a connection closes it, which rolls back its open transaction and releases its
 * engine session.
 *
 * <p>Thread safety: thread-safe (Avatica's caches are concurrent).
 */
final class StrataJdbcMeta extends JdbcMeta {
    StrataJdbcMeta(String url, Properties info) throws SQLException {
        super(url, info);
    }

    /** Evicts expired connections and statements now. */
    void evictIdle() {
        getConnectionCache().cleanUp();
        getStatementCache().cleanUp();
    }

    /** The number of open remote connections. */
    long openConnections() {
        return getConnectionCache().size();
    }
}
