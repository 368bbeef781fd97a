package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Cursor;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionOptions;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.catalog.TableEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folded versions: a committed version every present and future reader sees moves into its slot as a plain
 * value, and every visibility rule still holds (snapshots, read timestamps, prepared transactions, seed 004,
 * rollback to stable, checkpoints and reopen).
 */
class FoldTest {
    @TempDir
    Path dir;

    private static Slot slot(Engine e, String table, int k) {
        TableEntry t = Objects.requireNonNull(((StrataEngine) e).catalog().byName(table));
        return Objects.requireNonNull(t.tree().find(t.keys().encodeKey(new Object[] {k})), "slot of " + k);
    }

    private static boolean folded(Engine e, int k) {
        Slot s = slot(e, "KV", k);
        return s.head() == null && s.base() != null;
    }

    /** Commits enough single-row transactions on other keys for the horizon to be refreshed and drained. */
    private static void churn(Session s, TableHandle kv, int from) {
        for (int i = 0; i < 130; i++) {
            Transaction t = s.begin();
            t.upsert(kv, new Object[] {from + i % 5, "churn"});
            t.commit();
        }
    }

    private static @Nullable Object get(Session s, TableHandle kv, int k, long ts) {
        Transaction t = s.begin(
                ts == 0
                        ? TransactionOptions.defaults()
                        : TransactionOptions.defaults().atTimestamp(ts));
        try {
            Object[] r = t.get(kv, new Object[] {k});
            return r == null ? null : r[1];
        } finally {
            t.close();
        }
    }

    @Test
    void singleRowCommitsFoldSoonAndReadsAndScansSeeThem() {
        try (Engine e = StrataEngine.open(EngineConfig.builder().build());
                Session s = e.openSession()) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            for (int k = 0; k < 50; k++) {
                Transaction t = s.begin();
                t.insert(kv, new Object[] {k, "v" + k});
                t.commit();
            }
            churn(s, kv, 1000);
            for (int k = 0; k < 50; k++) {
                assertTrue(folded(e, k), "key " + k + " folded a few dozen commits after its commit");
                assertEquals("v" + k, get(s, kv, k, 0));
            }
            Transaction r = s.begin();
            List<Object> seen = new ArrayList<>();
            try (Cursor c = r.cursor(kv, KeyRange.all())) {
                while (c.next()) {
                    Object[] row = c.row();
                    if ((int) row[0] < 50) {
                        seen.add(row[1]);
                    }
                }
            }
            r.commit();
            assertEquals(50, seen.size());
            assertEquals("v49", seen.get(49));
            // a delete folds to a tombstone; the key stays absent
            Transaction d = s.begin();
            d.delete(kv, new Object[] {7});
            d.commit();
            churn(s, kv, 1000);
            assertSame(Slot.TOMBSTONE, slot(e, "KV", 7).base());
            assertNull(get(s, kv, 7, 0));
            Transaction again = s.begin();
            again.insert(kv, new Object[] {7, "back"}); // an insert over a folded tombstone succeeds
            again.commit();
            assertEquals("back", get(s, kv, 7, 0));
        }
    }

    @Test
    void anOlderSnapshotKeepsItsVersionUntilItEnds() {
        try (Engine e = StrataEngine.open(EngineConfig.builder().build());
                Session s = e.openSession();
                Session rs = e.openSession()) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            commit(s, kv, 1, "v0");
            churn(s, kv, 1000);
            assertTrue(folded(e, 1));
            Transaction old = rs.begin();
            assertEquals("v0", Objects.requireNonNull(old.get(kv, new Object[] {1}))[1]);
            for (int i = 1; i <= 3; i++) {
                commit(s, kv, 1, "v" + i);
                churn(s, kv, 1000);
            }
            assertFalse(folded(e, 1), "the live snapshot holds the horizon below the new versions");
            assertEquals("v0", Objects.requireNonNull(old.get(kv, new Object[] {1}))[1], "snapshot isolation");
            assertEquals("v3", get(s, kv, 1, 0));
            old.commit();
            churn(s, kv, 1000);
            commit(s, kv, 1, "v4"); // the writer's pruning step folds v3 at once
            Slot sl = slot(e, "KV", 1);
            assertNotNull(sl.base());
            assertNull(Objects.requireNonNull(sl.head()).next(), "v3 folded below v4");
            churn(s, kv, 1000);
            assertTrue(folded(e, 1));
            assertEquals("v4", get(s, kv, 1, 0));
        }
    }

    @Test
    void writeSetsHeldBackByASnapshotForManyRefreshesAreFoldedWhenItEnds() {
        // with more committing threads than cores, a descheduled thread's open transaction holds the horizon a
        // thousand commits or more behind; the write sets committed meanwhile must still be folded afterwards
        // (they once were given up after four refreshes, leaving whole tables unfolded under concurrent writers)
        try (Engine e = StrataEngine.open(EngineConfig.builder().build());
                Session s = e.openSession();
                Session rs = e.openSession()) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            for (int k = 0; k < 2000; k++) {
                commit(s, kv, k, "v0");
            }
            churn(s, kv, 100_000);
            Transaction old = rs.begin();
            for (int k = 0; k < 2000; k++) {
                commit(s, kv, k, "v1"); // 2,000 commits: about 30 horizon refreshes while the snapshot lives
            }
            assertFalse(folded(e, 0), "the live snapshot holds the horizon below v1");
            assertEquals("v0", Objects.requireNonNull(old.get(kv, new Object[] {0}))[1], "snapshot isolation");
            old.commit();
            churn(s, kv, 100_000);
            for (int k = 0; k < 2000; k++) {
                assertTrue(folded(e, k), "key " + k + " is folded once the snapshot that held it back ended");
                assertEquals("v1", get(s, kv, k, 0));
            }
        }
    }

    private static void commit(Session s, TableHandle kv, int k, String v) {
        Transaction t = s.begin();
        t.upsert(kv, new Object[] {k, v});
        t.commit();
    }

    @Test
    void applicationTimestampsFoldOnlyWhatNoAllowedReaderCanDistinguish() {
        try (Engine e = StrataEngine.open(EngineConfig.builder()
                        .timestamps(TimestampMode.APPLICATION)
                        .build());
                Session s = e.openSession()) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            TimestampsTest.commitAt(s, kv, 10, 1, "v10");
            TimestampsTest.commitAt(s, kv, 20, 1, "v20");
            e.setTimestamp(TimestampKind.STABLE, 30);
            e.setTimestamp(TimestampKind.OLDEST, 15);
            churn(s, kv, 1000);
            assertFalse(folded(e, 1), "committed at 20, after oldest 15: a reader at 15 must not see it");
            assertEquals("v10", get(s, kv, 1, 15));
            assertEquals("v20", get(s, kv, 1, 20));
            e.setTimestamp(TimestampKind.OLDEST, 25);
            churn(s, kv, 1000);
            TimestampsTest.commitAt(s, kv, 40, 1, "v40"); // durable 40 > stable 30: must not fold
            churn(s, kv, 1000);
            Slot sl = slot(e, "KV", 1);
            assertNotNull(sl.head(), "v40 is above stable: it stays an update");
            assertNotNull(sl.base(), "v20 (at or below oldest and stable) is folded");
            assertEquals(20, sl.baseTs());
            assertEquals("v20", get(s, kv, 1, 25));
            assertEquals("v20", get(s, kv, 1, 39));
            assertEquals("v40", get(s, kv, 1, 40));
            assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> get(s, kv, 1, 24)), "below oldest");
            e.rollbackToStable();
            assertEquals("v20", get(s, kv, 1, 0), "rollback to stable keeps the folded version");
            assertEquals("v20", get(s, kv, 1, 100));
        }
    }

    @Test
    void preparedUpdatesOverAFoldedVersionConflictAndRollBackToIt() {
        try (Engine e = StrataEngine.open(EngineConfig.builder()
                        .timestamps(TimestampMode.APPLICATION)
                        .build());
                Session s = e.openSession();
                Session rs = e.openSession()) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            TimestampsTest.commitAt(s, kv, 10, 1, "old");
            e.setTimestamp(TimestampKind.STABLE, 10);
            e.setTimestamp(TimestampKind.OLDEST, 10);
            churn(s, kv, 1000);
            assertTrue(folded(e, 1));
            Transaction p = s.begin();
            p.upsert(kv, new Object[] {1, "new"});
            p.prepare(20, TimestampsTest.xid("p"));
            assertEquals(ErrorCode.PREPARE_CONFLICT, code(() -> get(rs, kv, 1, 0)));
            assertEquals("old", get(rs, kv, 1, 15), "below the prepare timestamp: the folded version");
            Transaction w = rs.begin();
            assertEquals(ErrorCode.PREPARE_CONFLICT, code(() -> w.upsert(kv, new Object[] {1, "w"})));
            p.rollback();
            for (long ts : new long[] {0, 10, 20, 30}) {
                assertEquals("old", get(rs, kv, 1, ts), "old value at " + ts);
            }
        }
    }

    @Test
    void aRolledBackPreparedInsertOverADeleteDoesNotHideTheFoldedValueBelow() {
        try (Engine e = StrataEngine.open(EngineConfig.builder()
                        .timestamps(TimestampMode.APPLICATION)
                        .build());
                Session s = e.openSession()) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            TimestampsTest.commitAt(s, kv, 10, 1, "v");
            e.setTimestamp(TimestampKind.STABLE, 10);
            e.setTimestamp(TimestampKind.OLDEST, 10);
            churn(s, kv, 1000);
            assertTrue(folded(e, 1));
            TimestampsTest.commitAt(s, kv, 20, 1, null);
            Transaction p = s.begin();
            p.insert(kv, new Object[] {1, "prepared"});
            p.prepare(30, TimestampsTest.xid("ins"));
            p.rollback(); // seed 004's tail tombstone must not land above the folded value
            assertEquals("v", get(s, kv, 1, 15), "before the delete: the folded value");
            assertNull(get(s, kv, 1, 25));
            assertNull(get(s, kv, 1, 0));
        }
    }

    @Test
    void seed004RolledBackPreparedInsertStaysAbsentThroughFoldsCheckpointAndReopen() {
        EngineConfig cfg = EngineConfig.builder()
                .path(dir)
                .timestamps(TimestampMode.APPLICATION)
                .build();
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            TimestampsTest.commitAt(s, kv, 50, 7, "baseline");
            e.setTimestamp(TimestampKind.STABLE, 60);
            Transaction p = s.begin();
            p.insert(kv, new Object[] {1, "prepared"});
            p.prepare(100, TimestampsTest.xid("ins"));
            p.rollback();
            e.setTimestamp(TimestampKind.STABLE, 105);
            e.setTimestamp(TimestampKind.OLDEST, 60);
            churn(s, kv, 1000);
            for (long ts : new long[] {0, 60, 99, 100, 110, 220}) {
                assertNull(get(s, kv, 1, ts), "absent at " + ts);
            }
            TimestampsTest.commitAt(s, kv, 150, 1, "later");
            e.setTimestamp(TimestampKind.STABLE, 200);
            churn(s, kv, 1000);
            assertNull(get(s, kv, 1, 120));
            assertEquals("later", get(s, kv, 1, 160));
            e.setTimestamp(TimestampKind.OLDEST, 160);
            churn(s, kv, 1000);
            assertTrue(folded(e, 1), "the later insert folds once oldest passes it");
            assertTrue(folded(e, 7));
            e.checkpoint();
        }
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            TableHandle kv = e.table("KV").orElseThrow();
            assertEquals("later", get(s, kv, 1, 160));
            assertEquals("later", get(s, kv, 1, 0));
            assertEquals("baseline", get(s, kv, 7, 200));
            assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> get(s, kv, 1, 120)), "below the restored oldest");
        }
    }

    @Test
    void foldedVersionsSurviveCheckpointReopenAndKeepTheirTimestamps() {
        EngineConfig cfg = EngineConfig.builder()
                .path(dir)
                .timestamps(TimestampMode.APPLICATION)
                .build();
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            for (int k = 0; k < 20; k++) {
                TimestampsTest.commitAt(s, kv, 10 + k, k, "a" + k);
            }
            e.setTimestamp(TimestampKind.STABLE, 40);
            e.setTimestamp(TimestampKind.OLDEST, 20);
            churn(s, kv, 1000);
            assertTrue(folded(e, 5));
            assertFalse(folded(e, 15), "committed at 25, after oldest 20");
            e.checkpoint();
            TimestampsTest.commitAt(
                    s, kv, 50, 100, "replayed"); // after the checkpoint: recovery replays it from the log
        }
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            TableHandle kv = e.table("KV").orElseThrow();
            assertTrue(folded(e, 5), "a loaded version every reader sees is folded at open");
            assertFalse(folded(e, 15), "committed at 25, after the restored oldest 20");
            assertFalse(folded(e, 100), "replayed at 50, after the restored oldest");
            assertEquals("a5", get(s, kv, 5, 20));
            assertNull(get(s, kv, 15, 20), "the version committed at 25 is still invisible at 20 after reopen");
            assertEquals("a15", get(s, kv, 15, 25));
            assertNull(get(s, kv, 100, 45));
            assertEquals("replayed", get(s, kv, 100, 50));
            e.setTimestamp(TimestampKind.STABLE, 60);
            e.setTimestamp(TimestampKind.OLDEST, 55);
        }
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            TableHandle kv = e.table("KV").orElseThrow();
            assertTrue(folded(e, 100), "a replayed version every reader sees is folded at open");
            assertTrue(folded(e, 15));
            assertEquals("replayed", get(s, kv, 100, 55));
            assertEquals("a15", get(s, kv, 15, 55));
        }
    }

    @Test
    void pagesALazyOpenReadsOnFirstAccessAreFolded() {
        EngineConfig cfg = EngineConfig.builder()
                .path(dir)
                .durability(io.stratadb.api.Durability.NONE)
                .options(java.util.Map.of("checkpoint_interval_ms", "0"))
                .build();
        int rows = 500;
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            for (int k = 0; k < rows; k++) {
                commit(s, kv, k, "v" + k);
            }
            e.checkpoint(); // nothing after it: the reopen replays no record, so no page is read during open
        }
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            TableHandle kv = e.table("KV").orElseThrow();
            TableEntry t = Objects.requireNonNull(((StrataEngine) e).catalog().byName("KV"));
            assertEquals(0, t.tree().residentLeafCount(), "the open left every page on disk");
            for (int k = 0; k < rows; k++) {
                assertEquals("v" + k, get(s, kv, k, 0), "key " + k);
                assertTrue(folded(e, k), "key " + k + " is folded when its page is first read");
            }
            commit(s, kv, 3, "new");
            assertEquals("new", get(s, kv, 3, 0));
        }
    }

    @Test
    void foldedLeavesAreEvictedAndReadBack() throws InterruptedException {
        String pad = "p".repeat(180);
        EngineConfig cfg = EngineConfig.builder()
                .path(dir)
                .durability(io.stratadb.api.Durability.NONE)
                .cacheBytes(256 << 10)
                .options(java.util.Map.of("evict_period_ms", "2", "evict_checkpoint_gap_ms", "100"))
                .build();
        int rows = 4000;
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            for (int k = 0; k < rows; k++) {
                commit(s, kv, k, k + pad);
            }
            churn(s, kv, rows);
            Slot[] before = new Slot[rows];
            for (int k = 0; k < rows; k++) {
                before[k] = slot(e, "KV", k);
            }
            e.checkpoint();
            long evictedBefore = e.cacheStats().evictions(); // the load may have evicted already: wait for more
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (e.cacheStats().evictions() == evictedBefore && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(e.cacheStats().evictions() > evictedBefore, "folded leaves are evicted: " + e.cacheStats());
            int readBack = 0;
            for (int k = 0; k < rows; k++) {
                assertEquals(k + pad, get(s, kv, k, 0), "key " + k);
                Slot now = slot(e, "KV", k);
                if (now != before[k]) {
                    readBack++;
                    assertTrue(now.head() == null && now.base() != null, "key " + k + " is folded when read back");
                }
            }
            assertTrue(readBack > 0, "some leaves were read back");
            for (int k = 0; k < rows; k += 7) {
                commit(s, kv, k, "u" + k);
            }
            for (int k = 0; k < rows; k++) {
                assertEquals(k % 7 == 0 ? "u" + k : k + pad, get(s, kv, k, 0), "key " + k);
            }
        }
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            TableHandle kv = e.table("KV").orElseThrow();
            for (int k = 0; k < rows; k++) {
                assertEquals(k % 7 == 0 ? "u" + k : k + pad, get(s, kv, k, 0), "key " + k + " after reopen");
            }
        }
    }

    @Test
    void snapshotsStayStableWhileConcurrentCommitsFold() throws InterruptedException {
        int keys = 10;
        try (Engine e = StrataEngine.open(EngineConfig.builder().build())) {
            TableHandle kv = e.createTable(TimestampsTest.KV, false);
            try (Session s = e.openSession()) {
                for (int k = 0; k < keys; k++) {
                    commit(s, kv, k, "init");
                }
            }
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.ConcurrentLinkedQueue<String> errors =
                    new java.util.concurrent.ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int id = w;
                threads.add(new Thread(() -> {
                    try (Session s = e.openSession()) {
                        for (int i = 0; i < 4000 && errors.isEmpty(); i++) {
                            Transaction t = s.begin();
                            try {
                                t.upsert(kv, new Object[] {(i * 7 + id) % keys, "w" + id + "-" + i});
                                t.commit();
                            } catch (io.stratadb.api.StrataException ex) {
                                if (!ex.retryable()) {
                                    throw ex;
                                }
                            }
                        }
                    } catch (RuntimeException ex) {
                        errors.add("writer: " + ex);
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                threads.add(new Thread(() -> {
                    try (Session s = e.openSession()) {
                        while (!stop.get() && errors.isEmpty()) {
                            Transaction t = s.begin();
                            Object[] first = new Object[keys];
                            for (int k = 0; k < keys; k++) {
                                first[k] = Objects.requireNonNull(t.get(kv, new Object[] {k}))[1];
                            }
                            Thread.onSpinWait();
                            try (Cursor c = t.cursor(kv, KeyRange.all())) {
                                int k = 0;
                                while (c.next()) {
                                    Object[] row = c.row();
                                    if (!first[k].equals(row[1])) {
                                        errors.add("key " + k + ": read " + first[k] + ", then scanned " + row[1]);
                                    }
                                    k++;
                                }
                            }
                            for (int k = 0; k < keys; k++) {
                                Object again = Objects.requireNonNull(t.get(kv, new Object[] {k}))[1];
                                if (!first[k].equals(again)) {
                                    errors.add("key " + k + ": read " + first[k] + ", then " + again);
                                }
                            }
                            t.commit();
                        }
                    } catch (RuntimeException ex) {
                        errors.add("reader: " + ex);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (int i = 0; i < 2; i++) {
                threads.get(i).join();
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(errors.isEmpty(), String.join("; ", errors));
            int foldedKeys = 0;
            for (int k = 0; k < keys; k++) {
                foldedKeys += slot(e, "KV", k).base() != null ? 1 : 0;
            }
            assertTrue(foldedKeys > 0, "the commits folded while readers ran");
        }
    }
}
