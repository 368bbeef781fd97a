package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.CheckpointInfo;
import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.NodeState;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leader and followers as separate engines sharing one page-log directory: the acceptance scenarios 13 to 28 of
 * {@code wiredtiger-disagg.md} section 6, adapted where StrataDB's followers tail the log (noted per test).
 */
class RolesTest {
    static final TableSchema T = new TableSchema(
            "T",
            List.of(new ColumnDef("K", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));

    @TempDir
    Path dir;

    private Nodes nodes(TimestampMode mode) {
        return new Nodes(dir, mode, Durability.FSYNC);
    }

    static TableHandle table(Engine e, String name) {
        return e.table(name).orElseThrow();
    }

    /** Inserts keys [from, to) with value {@code v} in one transaction (AUTO timestamps). */
    static void insert(Engine e, String t, int from, int to, String v) {
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            for (int i = from; i < to; i++) {
                x.upsert(table(e, t), new Object[] {i, v});
            }
            x.commit();
        }
    }

    /** Upserts keys [from, to) at commit timestamp {@code ts} (APPLICATION timestamps). */
    static void upsertAt(Engine e, String t, int from, int to, String v, long ts) {
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            for (int i = from; i < to; i++) {
                x.upsert(table(e, t), new Object[] {i, v});
            }
            x.commit(ts, 0);
        }
    }

    static void delete(Engine e, String t, int from, int to, long ts) {
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            for (int i = from; i < to; i++) {
                x.delete(table(e, t), new Object[] {i});
            }
            x.commit(ts, 0);
        }
    }

    static SortedMap<Integer, Object> expect(int from, int to, String v) {
        TreeMap<Integer, Object> m = new TreeMap<>();
        for (int i = from; i < to; i++) {
            m.put(i, v);
        }
        return m;
    }

    private static long ingestKeys(StrataEngine e, String t) {
        return java.util.Objects.requireNonNull(e.catalog().byName(t)).tree().size();
    }

    // ---------------------------------------------------------------- visibility leader -> follower

    @Test
    void scenario13_followerSeesEachPickedUpCheckpoint() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            insert(l, "T", 0, 100, "a");
            CheckpointInfo c1 = l.checkpoint();
            try (StrataEngine f = n.follower("f")) {
                assertEquals(Role.FOLLOWER, f.nodeState().role());
                assertEquals(c1.lsn(), f.nodeState().checkpointLsn(), "a new follower starts at the newest checkpoint");
                assertEquals(expect(0, 100, "a"), Nodes.rows(f, "T"));
                insert(l, "T", 100, 200, "a");
                CheckpointInfo c2 = l.checkpoint();
                assertEquals(c2.lsn(), f.pickUpCheckpoint().orElseThrow().lsn());
                assertEquals(expect(0, 200, "a"), Nodes.rows(f, "T"));
                assertEquals(expect(0, 200, "a"), Nodes.rowsBackwards(f, "T"));
                assertEquals(c2.lsn(), f.nodeState().checkpointLsn());
            }
        }
    }

    @Test
    void scenario14_readsAtEachCheckpointTimestampSeeThatCheckpointsVersions() {
        Nodes n = nodes(TimestampMode.APPLICATION);
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            upsertAt(l, "T", 0, 50, "v1", 10);
            l.setTimestamp(TimestampKind.STABLE, 10);
            CheckpointInfo c1 = l.checkpoint();
            upsertAt(l, "T", 0, 5, "v2", 20);
            l.setTimestamp(TimestampKind.STABLE, 20);
            CheckpointInfo c2 = l.checkpoint();
            try (StrataEngine f = n.follower("f")) {
                // pickup is by selector: the follower started at c2; c1 is older and refused
                assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> f.pickUpCheckpoint(c1.lsn())));
                assertEquals(
                        c2.lsn(), f.pickUpCheckpoint(c2.lsn()).orElseThrow().lsn(), "the same one: no-op");
                assertEquals(expect(0, 50, "v1"), Nodes.rows(f, "T", 10));
                SortedMap<Integer, Object> mix = expect(0, 50, "v1");
                mix.putAll(expect(0, 5, "v2"));
                assertEquals(mix, Nodes.rows(f, "T", 20));
            }
        }
    }

    @Test
    void scenario15_checkpointTimestampIsStableAndNewerCommitsComeOnlyFromTheLog() {
        Nodes n = nodes(TimestampMode.APPLICATION);
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            upsertAt(l, "T", 0, 10, "at100", 100);
            l.setTimestamp(TimestampKind.STABLE, 100);
            assertEquals(100, l.checkpoint().timestamp());
            upsertAt(l, "T", 10, 20, "at300", 300);
            l.setTimestamp(TimestampKind.STABLE, 250);
            CheckpointInfo c = l.checkpoint();
            assertEquals(250, c.timestamp());
            try (StrataEngine f = n.follower("f")) {
                NodeState st = f.nodeState();
                assertEquals(250, st.checkpointTimestamp());
                // the checkpoint holds only the ts-100 rows; the ts-300 rows reach the follower through the log
                StrataEngine fe = f;
                assertEquals(10, ingestKeys(fe, "T"), "the ts-300 rows are in ingest, not in the checkpoint");
                assertEquals(expect(0, 10, "at100"), Nodes.rows(f, "T", 250));
                SortedMap<Integer, Object> all = expect(0, 10, "at100");
                all.putAll(expect(10, 20, "at300"));
                assertEquals(all, Nodes.rows(f, "T"));
            }
        }
    }

    @Test
    void scenario16_olderCheckpointIsRefusedAndTheSameOneIsANoOp() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            insert(l, "T", 0, 10, "a");
            CheckpointInfo c1 = l.checkpoint();
            insert(l, "T", 10, 20, "a");
            CheckpointInfo c2 = l.checkpoint();
            try (StrataEngine f = n.follower("f")) {
                assertEquals(c2.lsn(), f.nodeState().checkpointLsn());
                assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> f.pickUpCheckpoint(c1.lsn())));
                assertEquals(c2.lsn(), f.pickUpCheckpoint().orElseThrow().lsn());
                assertEquals(c2.lsn(), f.nodeState().checkpointLsn());
                assertEquals(ErrorCode.INVALID_STATE, code(l::pickUpCheckpoint), "a leader picks up nothing");
            }
        }
    }

    @Test
    void scenario17_tableCreatedOnTheLeaderLaterAppearsOnTheFollower() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l");
                StrataEngine f = n.follower("f")) {
            l.createTable(T, false);
            l.createTable(renamed("EMPTY"), false);
            insert(l, "T", 0, 30, "x");
            f.catchUp();
            assertTrue(f.table("EMPTY").isPresent(), "an empty table created after the follower started");
            assertEquals(expect(0, 30, "x"), Nodes.rows(f, "T"), "through the log, before any checkpoint");
            l.checkpoint();
            f.pickUpCheckpoint();
            assertEquals(expect(0, 30, "x"), Nodes.rows(f, "T"), "and from the checkpoint after pickup");
            assertTrue(Nodes.rows(f, "EMPTY").isEmpty());
        }
    }

    static TableSchema renamed(String name) {
        return new TableSchema(name, T.columns(), T.primaryKey());
    }

    @Test
    void scenario18_schemaOperationsOnAFollowerFailAndTheLeaderKeepsTheData() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l");
                StrataEngine f = n.follower("f")) {
            l.createTable(T, false);
            insert(l, "T", 0, 10, "x");
            f.catchUp();
            assertEquals(ErrorCode.NOT_LEADER, code(() -> f.dropTable("T", false)));
            assertEquals(ErrorCode.NOT_LEADER, code(() -> f.createTable(renamed("U"), false)));
            assertEquals(expect(0, 10, "x"), Nodes.rows(l, "T"));
            l.dropTable("T", false);
            f.catchUp();
            assertTrue(f.table("T").isEmpty(), "a drop on the leader reaches the follower");
        }
    }

    @Test
    void scenario19_severalTablesAndCheckpointsStayConsistent() {
        Nodes n = nodes(TimestampMode.AUTO);
        long seed = Long.getLong("seed", System.nanoTime());
        java.util.Random rnd = new java.util.Random(seed);
        try (StrataEngine l = n.leader("l");
                StrataEngine f = n.follower("f")) {
            for (String name : List.of("A", "B", "C")) {
                l.createTable(renamed(name), false);
            }
            for (int round = 0; round < 12; round++) {
                try (Session s = l.openSession()) {
                    Transaction x = s.begin();
                    for (int i = 0; i < 40; i++) {
                        TableHandle t = table(l, List.of("A", "B", "C").get(rnd.nextInt(3)));
                        int k = rnd.nextInt(60);
                        if (rnd.nextInt(4) == 0) {
                            x.delete(t, new Object[] {k});
                        } else {
                            x.upsert(t, new Object[] {k, "r" + round});
                        }
                    }
                    x.commit();
                }
                if (rnd.nextInt(3) == 0) {
                    l.checkpoint();
                }
                if (rnd.nextInt(3) == 0) {
                    f.pickUpCheckpoint();
                }
                f.catchUp();
                for (String name : List.of("A", "B", "C")) {
                    assertEquals(Nodes.rows(l, name), Nodes.rows(f, name), "table " + name + ", seed " + seed);
                    assertEquals(Nodes.rows(l, name), Nodes.rowsBackwards(f, name), "backwards, seed " + seed);
                }
            }
        }
    }

    // ---------------------------------------------------------------- roles

    static void close(Engine e) {
        e.close();
    }

    @Test
    void scenario20_swapRolesAndBothSeeEverything() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine a = n.leader("a");
                StrataEngine b = n.follower("b")) {
            a.createTable(T, false);
            insert(a, "T", 0, 100, "a");
            a.checkpoint();
            insert(a, "T", 100, 200, "a");
            a.stepDown();
            assertEquals(Role.FOLLOWER, a.nodeState().role());
            b.stepUp();
            assertEquals(Role.LEADER, b.nodeState().role());
            assertEquals("b", b.nodeState().leader());
            insert(b, "T", 200, 300, "b");
            b.checkpoint();
            a.pickUpCheckpoint();
            a.catchUp();
            SortedMap<Integer, Object> all = expect(0, 200, "a");
            all.putAll(expect(200, 300, "b"));
            assertEquals(all, Nodes.rows(a, "T"));
            assertEquals(all, Nodes.rows(b, "T"));
            assertEquals(ErrorCode.NOT_LEADER, code(() -> insert(a, "T", 1000, 1001, "no")));
        }
    }

    @Test
    void scenario21and22_stepUpDrainsIngestWithRemovesAndReinserts() {
        Nodes n = nodes(TimestampMode.APPLICATION);
        SortedMap<Integer, Object> want;
        StrataEngine l = n.leader("l");
        try (StrataEngine f = n.follower("f")) {
            l.createTable(T, false);
            upsertAt(l, "T", 0, 100, "v1", 10);
            l.setTimestamp(TimestampKind.STABLE, 10);
            l.checkpoint();
            f.pickUpCheckpoint();
            upsertAt(l, "T", 100, 400, "v2", 20);
            delete(l, "T", 0, 20, 30); // removed after the checkpoint
            delete(l, "T", 20, 40, 40);
            upsertAt(l, "T", 20, 40, "again", 50); // removed, then inserted again
            f.catchUp();
            close(l);
            want = expect(40, 400, "v2");
            want.putAll(expect(40, 100, "v1"));
            want.putAll(expect(20, 40, "again"));
            assertEquals(want, Nodes.rows(f, "T"));
            f.stepUp();
            assertEquals(want, Nodes.rows(f, "T"), "after the drain");
            SortedMap<Integer, Object> at25 = expect(0, 100, "v1");
            at25.putAll(expect(100, 400, "v2"));
            assertEquals(at25, Nodes.rows(f, "T", 25), "history survives the drain: at ts 25 nothing was removed yet");
            f.setTimestamp(TimestampKind.STABLE, 50);
            f.checkpoint();
        }
        try (StrataEngine f = n.follower("f2")) {
            assertEquals(want, Nodes.rows(f, "T"), "a new follower sees all 400 operations");
        }
    }
}
