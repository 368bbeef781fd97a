package io.stratadb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.CacheStats;
import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Durability;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower whose table is four times its cache: stable leaves are evicted, reads and scans stay correct. */
class FollowerCacheTest {
    private static final TableSchema T = new TableSchema(
            "T",
            List.of(new ColumnDef("K", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));
    private static final long BUDGET = 1 << 20;
    private static final int ROWS = 20_000; // ~6 MB charged when resident
    private static final String PAD = "f".repeat(180);

    @TempDir
    Path root;

    private EngineConfig config(String node, Role role, long cache) {
        return EngineConfig.builder()
                .path(root.resolve(node))
                .pageLog(URI.create("file:" + root.resolve("pagelog")))
                .role(role)
                .nodeId(node)
                .durability(Durability.NONE)
                .cacheBytes(cache)
                .options(Map.of(
                        "checkpoint_interval_ms", "0",
                        "publish_interval_ms", "2",
                        "evict_period_ms", "2",
                        "pickup_interval_ms", "20"))
                .build();
    }

    private static String value(int k, int version) {
        return k + ":" + version + ":" + PAD;
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void write(StrataEngine e, int version) {
        TableHandle t = e.table("T").orElseThrow();
        try (Session s = e.openSession()) {
            for (int from = 0; from < ROWS; from += 2000) {
                Transaction x = s.begin();
                for (int k = from; k < from + 2000; k++) {
                    x.upsert(t, new Object[] {k, value(k, version)});
                }
                x.commit();
            }
        }
        e.checkpoint();
    }

    private static void check(StrataEngine b, int version, long seed) {
        TableHandle t = b.table("T").orElseThrow();
        Random r = new Random(seed);
        try (Session s = b.openSession()) {
            Transaction x = s.begin();
            for (int i = 0; i < 5000; i++) {
                int k = r.nextInt(ROWS);
                Object[] row = x.get(t, new Object[] {k});
                assertNotNull(row, "key " + k + " (seed " + seed + ")");
                assertEquals(value(k, version), row[1], "key " + k + " (seed " + seed + ")");
            }
            int n = 0;
            try (Cursor c = x.cursor(t, KeyRange.all())) {
                while (c.next()) {
                    assertEquals(n, ((Number) c.row()[0]).intValue(), "scan order");
                    assertEquals(value(n, version), c.row()[1]);
                    n++;
                }
            }
            assertEquals(ROWS, n, "scan count");
            x.commit();
        }
    }

    @Test
    void followerWithATableFourTimesItsCacheEvictsStableLeavesAndReadsCorrectly() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        try (StrataEngine a = StrataEngine.open(config("a", Role.LEADER, 256L << 20));
                StrataEngine b = StrataEngine.open(config("b", Role.FOLLOWER, BUDGET))) {
            a.createTable(T, false);
            write(a, 1);
            long ckpt = a.nodeState().checkpointLsn();
            // the follower picks the checkpoint up, prunes its ingest copy, then evicts stable leaves
            await("the follower picked up the checkpoint", () -> b.nodeState().checkpointLsn() == ckpt);
            await("the follower's cache is under budget", () -> b.cacheStats().usedBytes() <= BUDGET);
            CacheStats st = b.cacheStats();
            assertEquals(BUDGET, st.budgetBytes());
            check(b, 1, seed);
            CacheStats after = b.cacheStats();
            assertTrue(after.reads() > 0, "stable leaves were read back: " + after);
            await("the budget holds after the scan", () -> b.cacheStats().usedBytes() <= BUDGET);
            assertTrue(b.cacheStats().evictions() > 0, b.cacheStats().toString());

            write(a, 2); // a new checkpoint replaces every page; the follower moves to it
            long ckpt2 = a.nodeState().checkpointLsn();
            await(
                    "the follower picked up the second checkpoint",
                    () -> b.nodeState().checkpointLsn() == ckpt2);
            await("the cache is under budget again", () -> b.cacheStats().usedBytes() <= BUDGET);
            check(b, 2, seed + 1);
            await("the budget holds", () -> b.cacheStats().usedBytes() <= BUDGET);

            a.stepDown(); // the follower takes over with stubs in its stable trees
            b.stepUp();
            TableHandle t = b.table("T").orElseThrow();
            try (Session s = b.openSession()) {
                Transaction x = s.begin();
                for (int k = 0; k < ROWS; k += 5) {
                    x.upsert(t, new Object[] {k, value(k, 3)});
                }
                x.commit();
            }
            b.checkpoint();
            try (Session s = b.openSession()) {
                Transaction x = s.begin();
                for (int k = 0; k < ROWS; k++) {
                    Object[] row = x.get(t, new Object[] {k});
                    assertNotNull(row, "key " + k);
                    assertEquals(value(k, k % 5 == 0 ? 3 : 2), row[1], "key " + k);
                }
                x.commit();
            }
        }
    }
}
