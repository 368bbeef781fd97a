package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.code;
import static io.stratadb.engine.EngineBasicsTest.must;
import static io.stratadb.engine.TimestampsTest.KV;
import static io.stratadb.engine.TimestampsTest.xid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.HeuristicOutcome;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heuristic completion of prepared transactions: outcomes are durable until forgotten. */
class HeuristicTest {
    @TempDir
    Path dir;

    private Engine open(TimestampMode mode) {
        return StrataEngine.open(
                EngineConfig.builder().path(dir).timestamps(mode).build());
    }

    private static TableHandle kv(Engine e) {
        return e.table("KV").orElseThrow();
    }

    private static void prepareInsert(Engine e, GlobalTxnId x, int k, long prepareTs) {
        try (Session s = e.openSession()) {
            Transaction t = s.begin();
            t.insert(kv(e), new Object[] {k, "v" + k});
            t.prepare(prepareTs, x);
        }
    }

    private static Object[] read(Engine e, int k) {
        try (Session s = e.openSession();
                Transaction t = s.begin()) {
            return must(t.get(kv(e), new Object[] {k}));
        }
    }

    private static boolean absent(Engine e, int k) {
        try (Session s = e.openSession();
                Transaction t = s.begin()) {
            return t.get(kv(e), new Object[] {k}) == null;
        }
    }

    @Test
    void heuristicCommitIsRememberedAcrossRestartAndCheckpointUntilForgotten() {
        GlobalTxnId x = xid("h-commit");
        try (Engine e = open(TimestampMode.AUTO)) {
            e.createTable(KV, false);
            prepareInsert(e, x, 1, 0);
            HeuristicOutcome o = e.completeHeuristically(x, true);
            assertTrue(o.committed());
            assertTrue(o.commitTimestamp() >= o.prepareTimestamp());
            assertEquals("v1", read(e, 1)[1]);
            assertTrue(e.preparedTransaction(x).isEmpty(), "no longer prepared");
            assertEquals(List.of(o), e.heuristicOutcomes());
            try (Session s = e.openSession()) {
                Transaction t = s.begin();
                t.insert(kv(e), new Object[] {2, "again"});
                assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> t.prepare(0, x)), "xid is still in use");
                t.rollback();
            }
        }
        HeuristicOutcome remembered;
        try (Engine e = open(TimestampMode.AUTO)) {
            assertEquals(1, e.heuristicOutcomes().size(), "survives a restart");
            remembered = e.heuristicOutcomes().get(0);
            assertEquals(x, remembered.xid());
            assertEquals("v1", read(e, 1)[1]);
            // more traffic and two checkpoints: the replay start moves, the outcome must not be lost
            try (Session s = e.openSession()) {
                for (int i = 10; i < 20; i++) {
                    Transaction t = s.begin();
                    t.insert(kv(e), new Object[] {i, "x"});
                    t.commit();
                }
            }
            e.checkpoint();
            e.checkpoint();
        }
        try (Engine e = open(TimestampMode.AUTO)) {
            assertEquals(List.of(remembered), e.heuristicOutcomes(), "survives checkpoints");
            assertEquals("v1", read(e, 1)[1]);
            assertTrue(e.forgetHeuristic(x));
            assertFalse(e.forgetHeuristic(x), "forgetting twice finds nothing");
            assertEquals(List.of(), e.heuristicOutcomes());
            e.checkpoint();
        }
        try (Engine e = open(TimestampMode.AUTO)) {
            assertEquals(List.of(), e.heuristicOutcomes(), "forget is durable");
            assertEquals("v1", read(e, 1)[1], "forgetting does not undo the commit");
            prepareInsert(e, x, 3, 0); // the xid may be used again
            e.preparedTransaction(x).orElseThrow().rollback();
        }
    }

    @Test
    void heuristicRollbackOfAPreparedInsertLeavesTheKeyAbsentAndInsertable() {
        GlobalTxnId x = xid("h-rollback");
        try (Engine e = open(TimestampMode.AUTO)) {
            e.createTable(KV, false);
            prepareInsert(e, x, 5, 0);
            HeuristicOutcome o = e.completeHeuristically(x, false);
            assertFalse(o.committed());
            assertEquals(0, o.commitTimestamp());
            assertTrue(absent(e, 5));
            assertEquals(
                    ErrorCode.UNKNOWN_TRANSACTION, code(() -> e.completeHeuristically(x, true)), "already resolved");
        }
        try (Engine e = open(TimestampMode.AUTO)) {
            assertEquals(1, e.heuristicOutcomes().size());
            assertFalse(e.heuristicOutcomes().get(0).committed());
            assertTrue(absent(e, 5));
            try (Session s = e.openSession()) {
                Transaction t = s.begin();
                t.insert(kv(e), new Object[] {5, "fresh"});
                t.commit();
            }
            assertEquals("fresh", read(e, 5)[1]);
        }
    }

    @Test
    void unknownXidIsUnknownTransaction() {
        try (Engine e = open(TimestampMode.AUTO)) {
            assertEquals(ErrorCode.UNKNOWN_TRANSACTION, code(() -> e.completeHeuristically(xid("nobody"), true)));
            assertFalse(e.forgetHeuristic(xid("nobody")));
        }
    }

    @Test
    void outcomesSurviveRollbackToStableAndTheCheckpointAfterIt() {
        GlobalTxnId x = xid("h-rts");
        try (Engine e = open(TimestampMode.APPLICATION)) {
            e.createTable(KV, false);
            prepareInsert(e, x, 1, 10);
            e.setTimestamp(TimestampKind.STABLE, 20);
            HeuristicOutcome o = e.completeHeuristically(x, true);
            assertEquals(21, o.commitTimestamp(), "after stable, at or after prepare");
            try (Session s = e.openSession()) {
                Transaction t = s.begin();
                t.insert(kv(e), new Object[] {2, "unstable"});
                t.commit(50, 0);
            }
            e.setTimestamp(TimestampKind.STABLE, 30);
            e.rollbackToStable(); // undoes key 2 (durable 50 > 30)
            e.checkpoint();
        }
        try (Engine e = open(TimestampMode.APPLICATION)) {
            assertEquals(1, e.heuristicOutcomes().size(), "the reminder after rollback to stable keeps it");
            assertEquals("v1", read(e, 1)[1]);
            assertTrue(absent(e, 2), "the rolled-back commit stays rolled back");
            assertNull(e.preparedTransaction(x).orElse(null));
        }
    }
}
