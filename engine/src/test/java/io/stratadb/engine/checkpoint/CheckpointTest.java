package io.stratadb.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.CheckpointInfo;
import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TablePageStats;
import io.stratadb.api.TableSchema;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionOptions;
import io.stratadb.api.TxnState;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.engine.StrataEngine;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precise checkpoints, the turtle protocol and recovery from a checkpoint, through the engine SPI. */
class CheckpointTest {
    static final TableSchema KV = new TableSchema(
            "KV",
            List.of(new ColumnDef("K", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));

    @TempDir
    Path dir;

    private EngineConfig config(TimestampMode mode) {
        return EngineConfig.builder().path(dir).timestamps(mode).build();
    }

    private static void commitAt(Engine e, long ts, int k, @Nullable String v) {
        try (Session s = e.openSession()) {
            Transaction t = s.begin();
            TableHandle kv = e.table("KV").orElseThrow();
            if (v == null) {
                t.delete(kv, new Object[] {k});
            } else {
                t.upsert(kv, new Object[] {k, v});
            }
            t.commit(ts, 0);
        }
    }

    private static @Nullable Object readAt(Engine e, long ts, int k) {
        try (Session s = e.openSession()) {
            Transaction t = s.begin(TransactionOptions.defaults().atTimestamp(ts));
            Object[] r = t.get(e.table("KV").orElseThrow(), new Object[] {k});
            t.close();
            return r == null ? null : r[1];
        }
    }

    private static int count(Engine e) {
        try (Session s = e.openSession()) {
            Transaction t = s.begin();
            var c = t.cursor(e.table("KV").orElseThrow(), KeyRange.all());
            int n = 0;
            while (c.next()) {
                n++;
            }
            c.close();
            t.close();
            return n;
        }
    }

    static GlobalTxnId xid(String name) {
        return new GlobalTxnId(1, name.getBytes(StandardCharsets.UTF_8), new byte[] {1});
    }

    @Test
    void checkpointsSurviveReopenWithUpdatesDeletesAndLaterCommits() {
        EngineConfig cfg = config(TimestampMode.AUTO);
        try (Engine e = StrataEngine.open(cfg)) {
            TableHandle kv = e.createTable(KV, false);
            try (Session s = e.openSession()) {
                for (int i = 0; i < 500; i++) {
                    Transaction t = s.begin();
                    t.insert(kv, new Object[] {i, "v" + i});
                    t.commit();
                }
            }
            CheckpointInfo c1 = e.checkpoint();
            assertEquals(1, c1.tables());
            try (Session s = e.openSession()) {
                Transaction t = s.begin();
                for (int i = 0; i < 100; i++) {
                    t.update(kv, new Object[] {i, "u" + i});
                }
                for (int i = 100; i < 150; i++) {
                    t.delete(kv, new Object[] {i});
                }
                t.commit();
            }
            CheckpointInfo c2 = e.checkpoint();
            assertTrue(c2.lsn() > c1.lsn() && c2.timestamp() >= c1.timestamp());
            try (Session s = e.openSession()) {
                Transaction t = s.begin();
                for (int i = 500; i < 520; i++) {
                    t.insert(kv, new Object[] {i, "late" + i});
                }
                t.commit();
            }
            assertEquals(List.of(c1, c2), e.checkpoints());
            TablePageStats st = e.pageLogStats().stream()
                    .filter(p -> p.table().equals("KV"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(st.fullImages() > 0 && st.pages() > 0, st.toString());
        }
        CheckpointImage img = CheckpointImage.read(cfg);
        assertEquals(450, img.table("KV").size(), "the checkpoint holds the state at its timestamp");
        assertEquals("u7", img.get("KV", 7).row()[1]);
        assertNull(img.table("KV").get(120));
        assertNull(img.table("KV").get(505), "a commit after the checkpoint is not in it");
        try (Engine e = StrataEngine.open(cfg)) {
            assertEquals(470, count(e), "checkpoint + replayed log");
            assertEquals("u7", readAt(e, 0, 7));
            assertEquals("v300", readAt(e, 0, 300));
            assertNull(readAt(e, 0, 120));
            assertEquals("late510", readAt(e, 0, 510));
            assertEquals(2, e.checkpoints().size());
            assertTrue(e.nodeState().checkpointLsn() > 0);
            // a new checkpoint on top of the loaded one passes the page log's chain checks
            commitAt(e, 0, 7, "again");
            e.checkpoint();
        }
        try (Engine e = StrataEngine.open(cfg)) {
            assertEquals("again", readAt(e, 0, 7));
            assertEquals(470, count(e));
        }
    }

    @Test
    void checkpointHoldsExactlyWhatIsDurableAtStable() {
        // scenario 15: commit at 100, stable 100 -> in; commit at 300, stable 250 -> out
        EngineConfig cfg = config(TimestampMode.APPLICATION);
        try (Engine e = StrataEngine.open(cfg)) {
            e.createTable(KV, false);
            commitAt(e, 100, 1, "at100");
            e.setTimestamp(TimestampKind.STABLE, 100);
            assertEquals(100, e.checkpoint().timestamp());
            commitAt(e, 300, 2, "at300");
            e.setTimestamp(TimestampKind.STABLE, 250);
            assertEquals(250, e.checkpoint().timestamp());
            assertEquals(250, e.timestamps().lastCheckpoint());
        }
        CheckpointImage img = CheckpointImage.read(cfg);
        assertEquals(250, img.checkpointTs);
        assertEquals(100, img.get("KV", 1).commitTs());
        assertFalse(img.table("KV").containsKey(2), "ts 300 > stable 250 is not in the checkpoint");
        try (Engine e = StrataEngine.open(cfg)) {
            assertEquals(250, e.timestamps().stable(), "stable comes back from the checkpoint");
            assertEquals("at100", readAt(e, 100, 1));
            assertNull(readAt(e, 99, 1), "the stored commit timestamp still governs reads");
            assertNull(readAt(e, 299, 2));
            assertEquals("at300", readAt(e, 300, 2), "the acknowledged ts-300 commit is replayed from the log");
            e.setTimestamp(TimestampKind.STABLE, 300);
            e.checkpoint();
        }
        assertEquals("at300", CheckpointImage.read(cfg).get("KV", 2).row()[1]);
    }

    @Test
    void preparedCommitIsInTheCheckpointOnlyOnceStableReachesItsDurableTimestamp() {
        // scenario 31: prepared at 20, commit 20, durable 30; stable 25 -> out; stable 30 -> in
        EngineConfig cfg = config(TimestampMode.APPLICATION);
        try (Engine e = StrataEngine.open(cfg)) {
            TableHandle kv = e.createTable(KV, false);
            e.setTimestamp(TimestampKind.STABLE, 10);
            try (Session s = e.openSession()) {
                Transaction t = s.begin();
                t.insert(kv, new Object[] {1, "prepared"});
                t.prepare(20, xid("p31"));
                t.commit(20, 30);
            }
            e.setTimestamp(TimestampKind.STABLE, 25);
            e.checkpoint();
        }
        assertFalse(CheckpointImage.read(cfg).table("KV").containsKey(1));
        try (Engine e = StrataEngine.open(cfg)) {
            assertEquals("prepared", readAt(e, 20, 1), "replayed: commit record durable after the checkpoint");
            e.setTimestamp(TimestampKind.STABLE, 30);
            e.checkpoint();
        }
        CheckpointImage img = CheckpointImage.read(cfg);
        CheckpointImage.Version v = img.get("KV", 1);
        assertEquals(20, v.commitTs());
        assertEquals(30, v.durableTs());
        try (Engine e = StrataEngine.open(cfg)) {
            assertEquals("prepared", readAt(e, 20, 1));
            assertNull(readAt(e, 19, 1));
        }
    }

    @Test
    void rolledBackPreparedInsertStaysAbsentAfterCheckpointsAndReopen() {
        // seed 004, scenarios 32 and 33
        EngineConfig cfg = config(TimestampMode.APPLICATION);
        try (Engine e = StrataEngine.open(cfg)) {
            TableHandle kv = e.createTable(KV, false);
            commitAt(e, 50, 9, "baseline");
            try (Session s = e.openSession()) {
                Transaction t = s.begin();
                t.insert(kv, new Object[] {1, "prepared insert"});
                t.insert(kv, new Object[] {2, "prepared insert"});
                t.prepare(100, xid("p32"));
                t.rollback();
            }
            e.setTimestamp(TimestampKind.STABLE, 105);
            e.checkpoint();
            commitAt(e, 150, 2, "new");
            e.setTimestamp(TimestampKind.STABLE, 120);
            e.checkpoint();
            e.setTimestamp(TimestampKind.STABLE, 200);
            e.checkpoint();
        }
        CheckpointImage img = CheckpointImage.read(cfg);
        assertFalse(img.table("KV").containsKey(1));
        assertEquals(150, img.get("KV", 2).commitTs());
        try (Engine e = StrataEngine.open(cfg)) {
            assertNull(readAt(e, 220, 1));
            assertNull(readAt(e, 120, 2));
            assertEquals("new", readAt(e, 160, 2));
            assertEquals("baseline", readAt(e, 220, 9));
            assertTrue(e.transactions().isEmpty());
        }
    }

    @Test
    void unresolvedPreparedTransactionsComeBackPreparedAcrossCheckpoints() {
        EngineConfig cfg = config(TimestampMode.APPLICATION);
        try (Engine e = StrataEngine.open(cfg)) {
            TableHandle kv = e.createTable(KV, false);
            commitAt(e, 10, 5, "five");
            try (Session s = e.openSession()) {
                Transaction a = s.begin();
                a.insert(kv, new Object[] {1, "a"});
                a.prepare(20, xid("a"));
            }
            try (Session s = e.openSession()) {
                Transaction b = s.begin();
                b.insert(kv, new Object[] {2, "b"});
                b.prepare(21, xid("b"));
            }
            e.setTimestamp(TimestampKind.STABLE, 15);
            e.checkpoint();
            // b is resolved after the checkpoint; its prepare record lies before it
            e.preparedTransaction(xid("b")).orElseThrow().commit(22, 22);
            commitAt(e, 30, 6, "six");
            e.checkpoint();
        }
        try (Engine e = StrataEngine.open(cfg)) {
            Transaction a = e.preparedTransaction(xid("a")).orElseThrow();
            assertEquals(TxnState.PREPARED, a.state());
            assertEquals("b", readAt(e, 22, 2));
            assertEquals("six", readAt(e, 30, 6));
            assertEquals("five", readAt(e, 30, 5));
            StrataException ex = assertThrows(StrataException.class, () -> readAt(e, 25, 1));
            assertEquals(ErrorCode.PREPARE_CONFLICT, ex.code());
            a.commit(40, 40);
            assertEquals("a", readAt(e, 40, 1));
            e.setTimestamp(TimestampKind.STABLE, 40);
            e.checkpoint();
        }
        CheckpointImage img = CheckpointImage.read(cfg);
        assertEquals(4, img.table("KV").size());
        try (Engine e = StrataEngine.open(cfg)) {
            assertTrue(e.transactions().isEmpty());
            assertEquals("a", readAt(e, 40, 1));
        }
    }

    @Test
    void tablesCreatedAndDroppedAroundCheckpointsComeBackRight() {
        EngineConfig cfg = config(TimestampMode.AUTO);
        TableSchema other = new TableSchema("OTHER", KV.columns(), KV.primaryKey());
        try (Engine e = StrataEngine.open(cfg)) {
            e.createTable(KV, false);
            e.createTable(other, false);
            commitAt(e, 0, 1, "x");
            e.checkpoint();
            e.dropTable("OTHER", false);
            e.checkpoint();
            e.createTable(new TableSchema("THIRD", KV.columns(), KV.primaryKey()), false);
        }
        try (Engine e = StrataEngine.open(cfg)) {
            assertEquals(
                    List.of("KV", "THIRD"),
                    e.tables().stream().map(TableHandle::name).toList());
            assertEquals("x", readAt(e, 0, 1));
            TableHandle fresh = e.createTable(other, false);
            assertTrue(fresh.id() > e.table("THIRD").orElseThrow().id(), "table ids are never reused");
            e.checkpoint();
        }
    }

    @Test
    void turtleMatchesThePageLogAndPrevIsGone() throws Exception {
        EngineConfig cfg = config(TimestampMode.AUTO);
        try (Engine e = StrataEngine.open(cfg)) {
            e.createTable(KV, false);
            commitAt(e, 0, 1, "x");
            e.checkpoint();
        }
        assertFalse(Files.exists(dir.resolve("turtle.prev")));
        byte[] local = Files.readAllBytes(dir.resolve("turtle"));
        try (PageLog pl = PageLogProviders.open(cfg.pageLogUri(), new PageLogOptions("t", false))) {
            assertArrayEquals(pl.completedCheckpoint(0).orElseThrow().metadata(), local);
        }
    }

    @Test
    void turtleNewerThanThePageLogIsRefusedUnlessLoseAllMyData() throws Exception {
        EngineConfig cfg = config(TimestampMode.AUTO);
        try (Engine e = StrataEngine.open(cfg)) {
            e.createTable(KV, false);
            commitAt(e, 0, 1, "x");
            e.checkpoint();
        }
        // a turtle naming a checkpoint the page log never completed (and no .prev to explain it)
        byte[] local = Files.readAllBytes(dir.resolve("turtle"));
        CheckpointMeta m = CheckpointMeta.decode(local, "test");
        CheckpointMeta bogus = new CheckpointMeta(
                m.catalogLsn() + 1000,
                m.catalogCrc(),
                m.checkpointTs() + 1000,
                m.oldestTs(),
                m.pointLsn(),
                m.replayFrom(),
                m.tables());
        Files.write(dir.resolve("turtle"), bogus.encode());
        StrataException ex = assertThrows(StrataException.class, () -> StrataEngine.open(cfg));
        assertEquals(ErrorCode.INVALID_STATE, ex.code());
        EngineConfig lose = EngineConfig.builder()
                .path(dir)
                .options(Map.of("lose_all_my_data", "true"))
                .build();
        try (Engine e = StrataEngine.open(lose)) {
            assertEquals("x", readAt(e, 0, 1));
        }
        try (Engine e = StrataEngine.open(cfg)) {
            assertEquals("x", readAt(e, 0, 1), "lose_all_my_data rewrote the turtle from the page log");
        }
    }

    @Test
    void corruptedPageRecordFailsItsFirstReadWithXx001() {
        URI log = URI.create("memory:ckpt-corruption-" + System.nanoTime());
        EngineConfig cfg = EngineConfig.builder().pageLog(log).build();
        long tableId;
        try (Engine e = StrataEngine.open(cfg)) {
            tableId = e.createTable(KV, false).id();
            for (int i = 0; i < 20; i++) {
                commitAt(e, 0, i, "value-" + i);
            }
            e.checkpoint();
        }
        try (PageLog pl = PageLogProviders.open(log, new PageLogOptions("flipper", false))) {
            var h = pl.openHandle(tableId);
            long pageId = h.pageIds(0)[0];
            PageRecord r = h.get(pageId, 0).get(0);
            r.payload()[r.payload().length / 2] ^= 0x40; // the memory backend shares payload arrays
        }
        // the open is lazy (catalogue root version 2): the page is checked when it is first read
        try (Engine e = StrataEngine.open(cfg)) {
            StrataException ex = assertThrows(StrataException.class, () -> readAt(e, 0, 0));
            assertEquals(ErrorCode.CORRUPTION, ex.code());
            assertEquals("XX001", ex.code().sqlState());
            assertTrue(ex.getMessage().contains("table " + tableId), ex.getMessage());
            assertThrows(StrataException.class, () -> readAt(e, 0, 5), "the page stays unreadable, no rows leak");
        }
    }

    private static long newestCheckpointLsn(Engine e) {
        List<CheckpointInfo> all = e.checkpoints();
        return all.get(all.size() - 1).lsn();
    }

    @Test
    void backgroundCheckpointsRunWhenTheLogGrows() throws Exception {
        EngineConfig cfg = EngineConfig.builder()
                .path(dir)
                .options(Map.of("checkpoint_interval_ms", "20"))
                .build();
        try (Engine e = StrataEngine.open(cfg)) {
            e.createTable(KV, false);
            commitAt(e, 0, 1, "x");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (e.checkpoints().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(e.checkpoints().isEmpty(), "a background checkpoint ran");
            // the first one may have run before the commit (and a second one then covers it): once the log has
            // nothing new, ten intervals in a row pass without a checkpoint
            long newest = newestCheckpointLsn(e);
            int quiet = 0;
            while (quiet < 10 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                long now = newestCheckpointLsn(e);
                quiet = now == newest ? quiet + 1 : 0;
                newest = now;
            }
            assertEquals(10, quiet, "an idle database is not checkpointed again (newest at LSN " + newest + ")");
        }
        assertEquals("x", CheckpointImage.read(cfg).get("KV", 1).row()[1]);
        EngineConfig bad = EngineConfig.builder()
                .path(dir)
                .options(Map.of("checkpoint_interval_ms", "soon"))
                .build();
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                assertThrows(StrataException.class, () -> StrataEngine.open(bad))
                        .code());
    }

    @Test
    void aBusyLogTriggersABackgroundCheckpointBeforeTheInterval() throws Exception {
        EngineConfig cfg = EngineConfig.builder()
                .path(dir)
                .options(Map.of("checkpoint_interval_ms", "0", "checkpoint_log_records", "50"))
                .build();
        try (Engine e = StrataEngine.open(cfg)) {
            e.createTable(KV, false);
            for (int i = 0; i < 20; i++) {
                commitAt(e, 0, i, "x" + i);
            }
            Thread.sleep(3 * CheckpointScheduler.POLL_MS);
            assertTrue(e.checkpoints().isEmpty(), "fewer records than the trigger, and no interval");
            for (int i = 20; i < 80; i++) {
                commitAt(e, 0, i, "x" + i);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (e.checkpoints().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(e.checkpoints().isEmpty(), "the log records written triggered a checkpoint");
        }
        // the trigger fired after the first 20 commits at the earliest: its checkpoint holds them all
        assertEquals("x19", CheckpointImage.read(cfg).get("KV", 19).row()[1]);
        EngineConfig bad = EngineConfig.builder()
                .path(dir)
                .options(Map.of("checkpoint_log_records", "-1"))
                .build();
        StrataException ex = assertThrows(StrataException.class, () -> StrataEngine.open(bad));
        assertEquals(ErrorCode.INVALID_ARGUMENT, ex.code());
        assertTrue(ex.getMessage().contains("checkpoint_log_records"), ex.getMessage());
    }

    @Test
    void historyReadersAtOrAfterOldestNeedSurvivesTheCheckpointAndRestart() {
        EngineConfig cfg = config(TimestampMode.APPLICATION);
        try (Engine e = StrataEngine.open(cfg)) {
            e.createTable(KV, false);
            commitAt(e, 10, 1, "v1");
            commitAt(e, 20, 1, "v2");
            commitAt(e, 10, 2, "old");
            commitAt(e, 20, 2, null);
            commitAt(e, 3, 3, "ancient");
            commitAt(e, 4, 3, "older than oldest");
            e.setTimestamp(TimestampKind.STABLE, 30);
            e.setTimestamp(TimestampKind.OLDEST, 5);
            e.checkpoint();
        }
        CheckpointImage img = CheckpointImage.read(cfg);
        assertEquals(20, img.get("KV", 1).commitTs());
        try (Engine e = StrataEngine.open(cfg)) {
            assertEquals("v1", readAt(e, 15, 1));
            assertEquals("v2", readAt(e, 25, 1));
            assertNull(readAt(e, 9, 1));
            assertEquals("old", readAt(e, 15, 2), "a tombstone is stored above an older value");
            assertNull(readAt(e, 25, 2));
            assertEquals("older than oldest", readAt(e, 5, 3), "history below oldest is not kept");
        }
    }
}
