package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionOptions;
import io.stratadb.api.TxnState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timestamp rules, prepared transactions and rollback to stable (acceptance scenarios 29-35). */
class TimestampsTest {
    static final TableSchema KV = new TableSchema(
            "KV",
            List.of(new ColumnDef("K", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));

    private final Engine engine = StrataEngine.open(
            EngineConfig.builder().timestamps(TimestampMode.APPLICATION).build());
    private final TableHandle kv = engine.createTable(KV, false);
    private final Session s = engine.openSession();
    private final Session reader = engine.openSession();

    @AfterEach
    void close() {
        engine.close();
    }

    static GlobalTxnId xid(String name) {
        return new GlobalTxnId(1, name.getBytes(StandardCharsets.UTF_8), new byte[] {1});
    }

    private void commitAt(long ts, int k, @Nullable String v) {
        commitAt(s, kv, ts, k, v);
    }

    /** Upserts {@code k} = {@code v} (deletes it when {@code v} is null) and commits at {@code ts}. */
    static void commitAt(Session s, TableHandle kv, long ts, int k, @Nullable String v) {
        Transaction t = s.begin();
        if (v == null) {
            t.delete(kv, new Object[] {k});
        } else {
            t.upsert(kv, new Object[] {k, v});
        }
        t.commit(ts, 0);
    }

    private @Nullable Object readAt(long ts, int k) {
        Transaction t = reader.begin(TransactionOptions.defaults().atTimestamp(ts));
        try {
            Object[] r = t.get(kv, new Object[] {k});
            return r == null ? null : r[1];
        } finally {
            t.close();
        }
    }

    @Test
    void globalTimestampRules() {
        engine.setTimestamp(TimestampKind.STABLE, 20);
        engine.setTimestamp(TimestampKind.OLDEST, 10);
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> engine.setTimestamp(TimestampKind.STABLE, 19)));
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> engine.setTimestamp(TimestampKind.OLDEST, 9)));
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> engine.setTimestamp(TimestampKind.OLDEST, 21)));
        assertEquals(
                ErrorCode.INVALID_TIMESTAMP,
                code(() -> s.begin(TransactionOptions.defaults().atTimestamp(5))));
        assertEquals(20, engine.timestamps().stable());
        assertEquals(10, engine.timestamps().oldest());
    }

    @Test
    void commitTimestampRulesChangeNothingWhenBroken() {
        engine.setTimestamp(TimestampKind.STABLE, 50);
        commitAt(60, 1, "a");
        Transaction t = s.begin();
        t.upsert(kv, new Object[] {1, "b"});
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> t.commit(50, 0)), "commit must be after stable");
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> t.commit(55, 0)), "key order: 55 < 60");
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> t.commit(70, 71)), "durable == commit unless prepared");
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> t.setCommitTimestamp(40)));
        assertEquals(TxnState.ACTIVE, t.state());
        assertEquals("a", readAt(65, 1));
        t.commit(70, 0);
        assertEquals("a", readAt(69, 1));
        assertEquals("b", readAt(70, 1));
        Transaction r = s.begin(TransactionOptions.defaults().atTimestamp(80));
        r.upsert(kv, new Object[] {2, "x"});
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> r.commit(75, 0)), "commit before its read timestamp");
        r.rollback();
    }

    @Test
    void prepareRulesScenario29() {
        engine.setTimestamp(TimestampKind.STABLE, 100);
        Transaction t = s.begin();
        t.upsert(kv, new Object[] {1, "p"});
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> t.prepare(100, xid("a"))), "prepare <= stable");
        t.setCommitTimestamp(120);
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> t.prepare(110, xid("a"))), "commit ts before prepare");
        t.rollback();
        Transaction u = s.begin();
        u.upsert(kv, new Object[] {1, "p"});
        u.prepare(110, xid("b"));
        assertEquals(ErrorCode.INVALID_TRANSACTION_STATE, code(() -> u.get(kv, new Object[] {1})));
        assertEquals(ErrorCode.INVALID_TRANSACTION_STATE, code(() -> u.upsert(kv, new Object[] {2, "q"})));
        assertEquals(ErrorCode.INVALID_TRANSACTION_STATE, code(() -> u.cursor(kv, KeyRange.all())));
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> u.commit(109, 110)), "commit < prepare");
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> u.commit(111, 110)), "durable < commit");
        assertEquals(TxnState.PREPARED, u.state());
        u.commit(110, 110);
        assertEquals("p", readAt(110, 1));
    }

    @Test
    void readersOfPreparedKeysConflictUnlessTheyIgnorePrepareScenario30() {
        commitAt(10, 1, "old");
        Transaction p = s.begin();
        p.upsert(kv, new Object[] {1, "new"});
        p.prepare(20, xid("p"));
        try (Session other = engine.openSession()) {
            Transaction r = other.begin();
            assertEquals(ErrorCode.PREPARE_CONFLICT, code(() -> r.get(kv, new Object[] {1})));
            assertEquals(TxnState.ROLLED_BACK, r.state(), "retryable errors roll the reader back");
            Transaction before = other.begin(TransactionOptions.defaults().atTimestamp(15));
            assertEquals(
                    "old",
                    EngineBasicsTest.must(before.get(kv, new Object[] {1}))[1],
                    "a read below the prepare ts does not conflict");
            before.commit();
            Transaction ig = other.begin(new TransactionOptions(0, true, false));
            assertEquals("old", EngineBasicsTest.must(ig.get(kv, new Object[] {1}))[1]);
            assertEquals(ErrorCode.READ_ONLY_TRANSACTION, code(() -> ig.upsert(kv, new Object[] {2, "w"})));
            ig.commit();
            Transaction w = other.begin();
            assertEquals(ErrorCode.PREPARE_CONFLICT, code(() -> w.upsert(kv, new Object[] {1, "w"})));
        }
        p.commit(25, 30);
        assertEquals("old", readAt(24, 1));
        assertEquals("new", readAt(25, 1));
    }

    @Test
    void rolledBackPreparedInsertLeavesTheKeyAbsentAtEveryTimestampScenarios32and33() {
        commitAt(50, 7, "baseline");
        engine.setTimestamp(TimestampKind.STABLE, 60);
        Transaction p = s.begin();
        p.insert(kv, new Object[] {1, "prepared"});
        p.prepare(100, xid("ins"));
        p.rollback();
        engine.setTimestamp(TimestampKind.STABLE, 105);
        for (long ts : new long[] {0, 99, 100, 110, 220}) {
            assertNull(readAt(ts, 1), "absent at " + ts);
        }
        assertEquals("baseline", readAt(220, 7));
        commitAt(150, 1, "later");
        assertNull(readAt(120, 1));
        assertEquals("later", readAt(160, 1));
        assertEquals("later", readAt(0, 1));
    }

    @Test
    void rolledBackPreparedUpdateRestoresTheOldValueScenario34() {
        commitAt(10, 1, "old");
        Transaction p = s.begin();
        p.upsert(kv, new Object[] {1, "new"});
        p.prepare(20, xid("upd"));
        p.rollback();
        for (long ts : new long[] {0, 10, 20, 30}) {
            assertEquals("old", readAt(ts, 1), "old value at " + ts);
        }
    }

    @Test
    void rollbackToStableKeepsOnlyStableUpdatesScenario35() {
        commitAt(10, 1, "v10");
        commitAt(20, 1, "v20");
        commitAt(30, 1, "v30");
        commitAt(20, 2, "inserted at 20");
        engine.setTimestamp(TimestampKind.STABLE, 10);
        Transaction open = s.begin();
        assertEquals(ErrorCode.INVALID_STATE, code(engine::rollbackToStable), "needs no active transactions");
        open.rollback();
        engine.rollbackToStable();
        assertEquals("v10", readAt(0, 1));
        assertEquals("v10", readAt(30, 1));
        assertNull(readAt(0, 2));
        Transaction t = s.begin();
        t.insert(kv, new Object[] {2, "again"});
        t.commit(40, 0);
        assertEquals("again", readAt(0, 2));
    }

    @Test
    void preparedCommitMayBeBehindStableIfDurableIsAheadScenario31() {
        engine.setTimestamp(TimestampKind.STABLE, 10);
        Transaction p = s.begin();
        p.upsert(kv, new Object[] {1, "x"});
        p.prepare(20, xid("d"));
        engine.setTimestamp(TimestampKind.STABLE, 25);
        p.commit(20, 30);
        assertEquals("x", readAt(20, 1));
        assertEquals(30, engine.timestamps().allDurable());
        Transaction q = s.begin();
        q.upsert(kv, new Object[] {2, "y"});
        q.prepare(26, xid("e"));
        assertEquals(ErrorCode.INVALID_TIMESTAMP, code(() -> q.commit(26, 25)), "durable must be after stable");
        q.commit(26, 26);
        assertArrayEquals(new Object[] {2, "y"}, s.begin().get(kv, new Object[] {2}));
        assertTrue(engine.transactions().stream().allMatch(i -> i.state() == TxnState.ACTIVE));
    }

    @Test
    void autoModeAssignsIncreasingCommitTimestampsAndAdvancesStable() {
        long[] clock = {1000};
        try (StrataEngine auto =
                        StrataEngine.open(EngineConfig.builder().nodeId("auto").build(), () -> clock[0]);
                Session as = auto.openSession()) {
            TableHandle t = auto.createTable(KV, false);
            for (int i = 0; i < 5; i++) {
                Transaction tx = as.begin();
                tx.upsert(t, new Object[] {1, "v" + i});
                tx.commit();
            }
            assertEquals(1004, auto.timestamps().stable(), "a stalled clock still gives strictly increasing ts");
            clock[0] = 5000;
            Transaction tx = as.begin();
            tx.upsert(t, new Object[] {1, "late"});
            tx.commit();
            assertEquals(5000, auto.timestamps().stable());
            Transaction at = as.begin(TransactionOptions.defaults().atTimestamp(1002));
            assertEquals("v2", EngineBasicsTest.must(at.get(t, new Object[] {1}))[1], "reads at an assigned ts");
            at.commit();
            Transaction p = as.begin();
            p.upsert(t, new Object[] {2, "p"});
            p.prepare(0, null);
            assertTrue(p.state() == TxnState.PREPARED && engine.transactions().isEmpty());
            assertEquals(1, auto.transactions().size());
            long prepareTs = auto.transactions().get(0).prepareTimestamp();
            assertTrue(prepareTs > 5000, "auto prepare ts " + prepareTs);
            p.commit();
            assertTrue(auto.timestamps().stable() >= prepareTs);
        }
    }
}
