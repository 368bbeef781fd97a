package io.stratadb.engine.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.CacheStats;
import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import io.stratadb.engine.StrataEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table several times larger than the cache: eviction, read-back, budget, snapshots and concurrency. */
class CacheEvictionTest {
    static final TableSchema KV = new TableSchema(
            "KV",
            List.of(new ColumnDef("K", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));

    private static final long BUDGET = 1 << 20;
    private static final String PAD = "p".repeat(180);

    @TempDir
    Path dir;

    private EngineConfig config(long cache) {
        return EngineConfig.builder()
                .path(dir)
                .durability(Durability.NONE)
                .cacheBytes(cache)
                .options(Map.of("evict_period_ms", "2", "evict_checkpoint_gap_ms", "200"))
                .build();
    }

    private static String value(int k, int version) {
        return k + ":" + version + ":" + PAD;
    }

    private static void load(Engine e, TableHandle kv, int rows, int version) {
        try (Session s = e.openSession()) {
            for (int from = 0; from < rows; from += 1000) {
                Transaction t = s.begin();
                for (int k = from; k < Math.min(rows, from + 1000); k++) {
                    t.upsert(kv, new Object[] {k, value(k, version)});
                }
                t.commit();
            }
        }
        e.checkpoint();
    }

    private static void await(String what, BooleanSupplier cond) {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ie);
            }
        }
    }

    private static @Nullable Object v(Transaction t, TableHandle kv, int k) {
        Object[] row = t.get(kv, new Object[] {k});
        return row == null ? null : row[1];
    }

    private static void checkAll(Engine e, TableHandle kv, int rows, int version, long seed) {
        try (Session s = e.openSession()) {
            Transaction t = s.begin();
            Random r = new Random(seed);
            for (int i = 0; i < rows; i++) {
                int k = r.nextInt(rows);
                Object[] row = t.get(kv, new Object[] {k});
                assertNotNull(row, "key " + k);
                assertEquals(value(k, version), row[1], "key " + k);
            }
            int n = 0;
            try (Cursor c = t.cursor(kv, KeyRange.all())) {
                while (c.next()) {
                    assertEquals(n, ((Number) c.row()[0]).intValue(), "forward scan order");
                    assertEquals(value(n, version), c.row()[1]);
                    n++;
                }
            }
            assertEquals(rows, n, "forward scan count");
            try (Cursor c = t.cursor(kv, KeyRange.all())) {
                while (c.prev()) {
                    n--;
                    assertEquals(n, ((Number) c.row()[0]).intValue(), "backward scan order");
                }
            }
            assertEquals(0, n, "backward scan count");
            t.commit();
        }
    }

    @Test
    void tableFourTimesTheCacheLoadsScansReadsAndUpdates() {
        int rows = 20_000; // ~4.5 MB of keys and values, ~6 MB charged
        try (Engine e = StrataEngine.open(config(BUDGET))) {
            TableHandle kv = e.createTable(KV, false);
            load(e, kv, rows, 1);
            await("the cache is under budget", () -> e.cacheStats().usedBytes() <= BUDGET);
            CacheStats st = e.cacheStats();
            assertTrue(st.evictions() > 0, st.toString());
            checkAll(e, kv, rows, 1, 1);
            assertTrue(e.cacheStats().reads() > 0, "pages were read back: " + e.cacheStats());
            try (Session s = e.openSession()) {
                Transaction t = s.begin();
                for (int k = 0; k < rows; k += 7) {
                    t.upsert(kv, new Object[] {k, value(k, 2)});
                }
                t.commit();
                e.checkpoint();
                t = s.begin();
                for (int k = 0; k < rows; k++) {
                    assertEquals(value(k, k % 7 == 0 ? 2 : 1), v(t, kv, k), "key " + k);
                }
                t.commit();
            }
            load(e, kv, rows, 3);
            await("the cache is back under budget", () -> e.cacheStats().usedBytes() <= BUDGET);
            checkAll(e, kv, rows, 3, 2);
        }
        try (Engine e = StrataEngine.open(config(BUDGET))) { // cold cache after a reopen
            TableHandle kv = e.table("KV").orElseThrow();
            CacheStats opened = e.cacheStats();
            assertTrue(opened.usedBytes() <= BUDGET, "open keeps the pages past the budget evicted: " + opened);
            checkAll(e, kv, rows, 3, 3);
            await("the reopened cache is under budget", () -> e.cacheStats().usedBytes() <= BUDGET);
            assertTrue(e.cacheStats().evictions() > 0, e.cacheStats().toString());
        }
    }

    @Test
    void oldSnapshotKeepsItsVersionsWhileEvictionRuns() {
        int rows = 12_000;
        try (Engine e = StrataEngine.open(config(BUDGET / 2))) {
            TableHandle kv = e.createTable(KV, false);
            load(e, kv, rows, 1);
            try (Session old = e.openSession();
                    Session w = e.openSession()) {
                Transaction snap = old.begin();
                assertEquals(value(5, 1), v(snap, kv, 5));
                Transaction t = w.begin();
                for (int k = 0; k < rows / 2; k++) {
                    t.upsert(kv, new Object[] {k, value(k, 2)});
                }
                t.delete(kv, new Object[] {rows - 1});
                t.commit();
                e.checkpoint();
                await("leaves are evicted", () -> e.cacheStats().evictions() > 0);
                long before = e.cacheStats().evictions();
                for (int pass = 0; pass < 2; pass++) { // the scans read evicted leaves back; they are evicted again
                    int n = 0;
                    try (Cursor c = snap.cursor(kv, KeyRange.all())) {
                        while (c.next()) {
                            assertEquals(value(n, 1), c.row()[1], "the old snapshot's version of key " + n);
                            n++;
                        }
                    }
                    assertEquals(rows, n, "the old snapshot still sees every row, the deleted one too");
                }
                await(
                        "leaves without history are evicted again",
                        () -> e.cacheStats().evictions() > before);
                for (int k = 0; k < rows; k += 13) {
                    assertEquals(value(k, 1), v(snap, kv, k), "key " + k);
                }
                snap.commit();
                Transaction now = w.begin();
                for (int k = 0; k < rows - 1; k += 11) {
                    assertEquals(value(k, k < rows / 2 ? 2 : 1), v(now, kv, k), "key " + k);
                }
                assertNull(now.get(kv, new Object[] {rows - 1}));
                now.commit();
            }
        }
    }

    @Test
    void preparedUpdatesAreNeverEvicted() {
        int rows = 8_000;
        try (Engine e = StrataEngine.open(config(BUDGET / 4))) {
            TableHandle kv = e.createTable(KV, false);
            load(e, kv, rows, 1);
            try (Session p = e.openSession();
                    Session r = e.openSession()) {
                Transaction t = p.begin();
                t.upsert(kv, new Object[] {42, value(42, 9)});
                t.prepare(e.timestamps().stable() + 1, null);
                long before = e.cacheStats().evictions();
                checkUntouchedAround(r, kv, rows); // reads most leaves back; the evictor drops them again
                await("other leaves are evicted again", () -> e.cacheStats().evictions() > before);
                checkUntouchedAround(r, kv, rows);
                Transaction c0 = r.begin();
                StrataException x = assertThrows(StrataException.class, () -> c0.get(kv, new Object[] {42}));
                assertEquals(ErrorCode.PREPARE_CONFLICT, x.code(), "the prepared update is still there");
                c0.rollback();
                t.rollback();
                Transaction c = r.begin();
                assertEquals(value(42, 1), v(c, kv, 42));
                c.commit();
            }
        }
    }

    private static void checkUntouchedAround(Session r, TableHandle kv, int rows) {
        Transaction c = r.begin();
        for (int k = 0; k < rows; k += 17) {
            if (k != 42) {
                assertEquals(value(k, 1), v(c, kv, k), "key " + k);
            }
        }
        c.commit();
    }

    @Test
    void randomWorkloadMatchesAModel() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        String msg = "seed " + seed + " (rerun with -Dseed=" + seed + ")";
        TreeMap<Integer, String> model = new TreeMap<>();
        int keys = 6000;
        try (Engine e = StrataEngine.open(config(BUDGET / 4))) {
            TableHandle kv = e.createTable(KV, false);
            try (Session s = e.openSession()) {
                for (int round = 0; round < 40; round++) {
                    Transaction t = s.begin();
                    TreeMap<Integer, String> pending = new TreeMap<>(model);
                    for (int op = 0; op < 300; op++) {
                        int k = rnd.nextInt(keys);
                        if (rnd.nextInt(5) == 0) {
                            boolean had = t.delete(kv, new Object[] {k});
                            assertEquals(pending.remove(k) != null, had, msg + " delete " + k);
                        } else {
                            String v = k + ":" + round + ":" + op + PAD;
                            t.upsert(kv, new Object[] {k, v});
                            pending.put(k, v);
                        }
                    }
                    if (rnd.nextInt(6) == 0) {
                        t.rollback();
                    } else {
                        t.commit();
                        model = pending;
                    }
                    if (rnd.nextInt(3) == 0) {
                        e.checkpoint();
                    }
                    compare(s, kv, model, rnd, keys, msg + " round " + round);
                }
            }
            // the evictor runs in the background: on a loaded machine it may first get a core after the workload
            await(
                    msg + ": the evictor writes out leaves of a table over budget",
                    () -> e.cacheStats().evictions() > 0);
            try (Session s = e.openSession()) {
                compare(s, kv, model, rnd, keys, msg + " after eviction");
            }
        }
    }

    private static void compare(
            Session s, TableHandle kv, NavigableMap<Integer, String> model, Random rnd, int keys, String msg) {
        Transaction t = s.begin();
        for (int i = 0; i < 200; i++) {
            int k = rnd.nextInt(keys);
            Object[] row = t.get(kv, new Object[] {k});
            assertEquals(model.get(k), row == null ? null : row[1], msg + " get " + k);
        }
        int lo = rnd.nextInt(keys);
        int hi = lo + rnd.nextInt(keys / 4);
        List<Integer> seen = new ArrayList<>();
        try (Cursor c = t.cursor(kv, KeyRange.closed(new Object[] {lo}, new Object[] {hi}))) {
            while (c.next()) {
                seen.add(((Number) c.row()[0]).intValue());
            }
        }
        assertEquals(new ArrayList<>(model.subMap(lo, true, hi, true).keySet()), seen, msg + " scan " + lo + ".." + hi);
        t.commit();
    }

    @Test
    void readersWritersEvictorAndCheckpointsRunTogether() throws InterruptedException {
        int rows = 8_000;
        try (Engine e = StrataEngine.open(config(BUDGET / 4))) {
            TableHandle kv = e.createTable(KV, false);
            load(e, kv, rows, 0);
            long end = System.nanoTime() + 3_000_000_000L;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            int[][] lastWritten = new int[2][];
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int me = w;
                threads.add(new Thread(() -> {
                    int[] versions = new int[rows];
                    Random r = new Random(me);
                    try (Session s = e.openSession()) {
                        int round = 0;
                        while (System.nanoTime() < end && failure.get() == null) {
                            round++;
                            Transaction t = s.begin();
                            for (int i = 0; i < 50; i++) {
                                int k = r.nextInt(rows / 2) * 2 + me;
                                t.upsert(kv, new Object[] {k, value(k, round)});
                                versions[k] = round;
                            }
                            t.commit();
                        }
                    } catch (Throwable x) {
                        failure.compareAndSet(null, x);
                    }
                    lastWritten[me] = versions;
                }));
            }
            for (int rd = 0; rd < 2; rd++) {
                threads.add(new Thread(() -> {
                    try (Session s = e.openSession()) {
                        while (System.nanoTime() < end && failure.get() == null) {
                            Transaction t = s.begin();
                            int n = 0;
                            try (Cursor c = t.cursor(kv, KeyRange.all())) {
                                while (c.next()) {
                                    int k = ((Number) c.row()[0]).intValue();
                                    assertEquals(n, k, "scan order");
                                    assertTrue(((String) c.row()[1]).startsWith(k + ":"), "row " + k);
                                    n++;
                                }
                            }
                            assertEquals(rows, n, "every row in every scan");
                            t.commit();
                        }
                    } catch (Throwable x) {
                        failure.compareAndSet(null, x);
                    }
                }));
            }
            threads.add(new Thread(() -> {
                while (System.nanoTime() < end && failure.get() == null) {
                    try {
                        e.checkpoint();
                        Thread.sleep(100);
                    } catch (Throwable x) {
                        failure.compareAndSet(null, x);
                    }
                }
            }));
            for (Thread t : threads) {
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("a thread failed", failure.get());
            }
            // on a loaded machine the writers may keep every leaf dirty for the whole run; once they stop, the
            // evictor's own checkpoint makes leaves clean and eviction must follow
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (e.cacheStats().evictions() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(e.cacheStats().evictions() > 0, e.cacheStats().toString());
            try (Session s = e.openSession()) {
                Transaction t = s.begin();
                for (int k = 0; k < rows; k++) {
                    int v = lastWritten[k % 2][k];
                    assertArrayEquals(new Object[] {k, value(k, v)}, t.get(kv, new Object[] {k}), "key " + k);
                }
                assertFalse(t.hasWrites());
                t.commit();
            }
        }
    }
}
