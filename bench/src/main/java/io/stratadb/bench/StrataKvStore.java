package io.stratadb.bench;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * StrataDB through the provider SPI: table {@code KV(K BIGINT PRIMARY KEY, V VARCHAR(200))}.
 *
 * <p>Thread safety: thread-safe; sessions are per worker.
 */
final class StrataKvStore implements KvStore {
    private final Engine engine;
    private final TableHandle table;
    private final String name;

    StrataKvStore(@Nullable Path dir, Durability durability) {
        this(dir, durability, null);
    }

    /** A store whose page log is {@code pageLog} (null: the default, {@code file:} under {@code dir}). */
    StrataKvStore(@Nullable Path dir, Durability durability, java.net.@Nullable URI pageLog) {
        this(dir, durability, pageLog, 2L << 30);
    }

    /** A store with a cache budget of {@code cacheBytes} ({@code cache=}). */
    StrataKvStore(@Nullable Path dir, Durability durability, java.net.@Nullable URI pageLog, long cacheBytes) {
        EngineConfig.Builder b = EngineConfig.builder().durability(durability).cacheBytes(cacheBytes);
        if (dir != null) {
            b.path(dir);
        }
        if (pageLog != null) {
            b.pageLog(pageLog);
        }
        engine = StorageProviders.get("strata").open(b.build());
        table = engine.createTable(
                new TableSchema(
                        "KV",
                        List.of(
                                new ColumnDef("K", ColumnType.BIGINT, 0, 0, false, null),
                                new ColumnDef("V", ColumnType.VARCHAR, 200, 0, true, null)),
                        List.of(0)),
                true);
        name = "StrataDB" + (durability == Durability.FSYNC ? " (fsync)" : "")
                + (pageLog == null ? "" : " " + pageLog.getScheme() + ":");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void load(long n, String value) {
        try (Session s = engine.openSession()) {
            for (long k = 0; k < n; k += 1000) {
                try (Transaction tx = s.begin()) {
                    for (long i = k; i < Math.min(n, k + 1000); i++) {
                        tx.upsert(table, new Object[] {i, value});
                    }
                    tx.commit();
                }
            }
        }
    }

    @Override
    public Worker worker() {
        Session s = engine.openSession();
        return new Worker() {
            @Override
            public int getBatch(long[] keys) {
                int found = 0;
                try (Transaction tx = s.begin()) {
                    for (long k : keys) {
                        if (tx.get(table, new Object[] {k}) != null) {
                            found++;
                        }
                    }
                    tx.commit();
                }
                return found;
            }

            @Override
            public void insert(long key, String value) {
                try (Transaction tx = s.begin()) {
                    tx.insert(table, new Object[] {key, value});
                    tx.commit();
                }
            }

            @Override
            public void update(long key, String value) {
                while (true) {
                    try (Transaction tx = s.begin()) {
                        tx.update(table, new Object[] {key, value});
                        tx.commit();
                        return;
                    } catch (StrataException e) {
                        if (!e.retryable()) {
                            throw e;
                        }
                        // a concurrent writer of the same key committed first: retry, as an application would
                    }
                }
            }

            @Override
            public int scan(long from, int n) {
                int read = 0;
                try (Transaction tx = s.begin();
                        Cursor c = tx.cursor(table, new KeyRange(new Object[] {from}, true, null, true))) {
                    while (read < n && c.next()) {
                        read++;
                    }
                    tx.commit();
                }
                return read;
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    /** Runs a checkpoint (leaves become clean, hence evictable). */
    void checkpoint() {
        engine.checkpoint();
    }

    /** The engine's cache figures. */
    io.stratadb.api.CacheStats cacheStats() {
        return engine.cacheStats();
    }

    @Override
    public void close() {
        engine.close();
    }
}
