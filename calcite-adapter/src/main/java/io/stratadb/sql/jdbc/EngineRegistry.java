package io.stratadb.sql.jdbc;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.StorageProviders;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines open in this JVM, shared by every connection to the same database and reference-counted.
 *
 * <p>A database on disk is identified by its absolute path; an in-memory database by its {@code name} URL
 * property ("" when absent), so {@code jdbc:strata:} connections share one in-memory database and {@code
 * jdbc:strata:name=x} another.
 *
 * <p>Invariants: (1) at most one open engine per key; (2) an entry's count is the number of unreleased leases;
 * (3) releasing the last lease closes the engine and removes the entry, which releases the directory.
 *
 * <p>Thread safety: thread-safe; all state is guarded by the class lock.
 */
final class EngineRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRegistry.class);
    private static final Object LOCK = new Object();

    @GuardedBy("LOCK")
    private static final Map<String, Entry> OPEN = new HashMap<>();

    private EngineRegistry() {}

    /** A reference-counted open engine. */
    private static final class Entry {
        final Engine engine;

        @GuardedBy("LOCK")
        int leases;

        Entry(Engine engine) {
            this.engine = engine;
        }
    }

    /**
     * One connection's use of an engine; {@link #close()} releases it exactly once.
     *
     * <p>Thread safety: thread-safe.
     */
    static final class Lease implements AutoCloseable {
        private final String key;
        private final Engine engine;

        @GuardedBy("LOCK")
        private boolean released;

        private Lease(String key, Engine engine) {
            this.key = key;
            this.engine = engine;
        }

        Engine engine() {
            return engine;
        }

        @Override
        public void close() {
            Engine toClose = null;
            synchronized (LOCK) {
                if (released) {
                    return;
                }
                released = true;
                Entry e = OPEN.get(key);
                if (e != null && e.engine == engine && --e.leases == 0) {
                    OPEN.remove(key);
                    toClose = engine;
                }
            }
            if (toClose != null) {
                LOG.debug("closing engine {} (last connection closed)", key);
                toClose.close();
            }
        }
    }

    /** The registry key of a configuration. */
    static String key(EngineConfig config) {
        if (config.path() != null) {
            return "path:" + config.path().toAbsolutePath().normalize();
        }
        return "mem:" + config.options().getOrDefault("name", "");
    }

    /** Leases the engine for {@code config}, opening it if no connection has it open. */
    static Lease acquire(EngineConfig config) {
        String key = key(config);
        synchronized (LOCK) {
            Entry e = OPEN.get(key);
            if (e == null) {
                Engine engine = StorageProviders.get("strata").open(config);
                e = new Entry(engine);
                OPEN.put(key, e);
                LOG.debug("opened engine {}", key);
            }
            e.leases++;
            return new Lease(key, e.engine);
        }
    }

    /** How many leases the engine for {@code config} has (0 if it is not open); for tests. */
    static int leases(EngineConfig config) {
        synchronized (LOCK) {
            Entry e = OPEN.get(key(config));
            return e == null ? 0 : e.leases;
        }
    }
}
