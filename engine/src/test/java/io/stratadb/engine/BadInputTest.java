package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import io.stratadb.api.TxnState;
import io.stratadb.engine.row.KeyCodec;
import io.stratadb.engine.row.RowCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input fails with its own error code and changes nothing. */
class BadInputTest {
    static final TableSchema DOCS = new TableSchema(
            "DOCS",
            List.of(
                    new ColumnDef("ID", ColumnType.VARCHAR, 0, 0, false, null),
                    new ColumnDef("N", ColumnType.SMALLINT, 0, 0, false, null),
                    ColumnDef.of("BODY", ColumnType.VARBINARY)),
            List.of(0));

    private final Engine engine = StrataEngine.open(
            EngineConfig.builder().timestamps(TimestampMode.APPLICATION).build());
    private final TableHandle docs = engine.createTable(DOCS, false);
    private final Session s = engine.openSession();

    @AfterEach
    void close() {
        engine.close();
    }

    private List<String> contents() {
        try (Session r = engine.openSession()) {
            Transaction t = r.begin();
            List<String> out = new ArrayList<>();
            Cursor c = t.cursor(docs, KeyRange.all());
            while (c.next()) {
                out.add(c.row()[0] + ":" + c.row()[1]);
            }
            t.commit();
            return out;
        }
    }

    private void seed() {
        Transaction t = s.begin();
        t.insert(docs, new Object[] {"a", 1, new byte[] {1}});
        t.insert(docs, new Object[] {"b", 2, null});
        t.commit(10, 0);
    }

    @Test
    void badValuesFailWithTheirCodesAndTheTransactionGoesOn() {
        seed();
        Transaction t = s.begin();
        t.upsert(docs, new Object[] {"c", 3, null});
        assertEquals(ErrorCode.NOT_NULL_VIOLATION, code(() -> t.insert(docs, new Object[] {"d", null, null})));
        assertEquals(ErrorCode.NUMERIC_OUT_OF_RANGE, code(() -> t.insert(docs, new Object[] {"d", 70000, null})));
        assertEquals(ErrorCode.INVALID_VALUE, code(() -> t.insert(docs, new Object[] {"d", "1", null})));
        assertEquals(ErrorCode.INVALID_VALUE, code(() -> t.insert(docs, new Object[] {7, 1, null})));
        assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> t.insert(docs, new Object[] {"d", 1})));
        assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> t.get(docs, new Object[] {"a", 1})));
        assertEquals(ErrorCode.DUPLICATE_KEY, code(() -> t.insert(docs, new Object[] {"a", 9, null})));
        String hugeKey = "k".repeat(KeyCodec.MAX_KEY_BYTES + 1);
        assertEquals(ErrorCode.VALUE_TOO_LARGE, code(() -> t.insert(docs, new Object[] {hugeKey, 1, null})));
        assertEquals(ErrorCode.VALUE_TOO_LARGE, code(() -> t.get(docs, new Object[] {hugeKey})));
        byte[] hugeValue = new byte[RowCodec.MAX_ROW_BYTES + 1];
        assertEquals(ErrorCode.VALUE_TOO_LARGE, code(() -> t.upsert(docs, new Object[] {"big", 1, hugeValue})));
        assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> t.rollbackTo(99)));
        assertEquals(TxnState.ACTIVE, t.state());
        t.commit(20, 0);
        assertEquals(List.of("a:1", "b:2", "c:3"), contents());
    }

    @Test
    void onlyResolutionIsAllowedAfterPrepare() {
        seed();
        Transaction t = s.begin();
        t.update(docs, new Object[] {"a", 5, null});
        t.prepare(30, new GlobalTxnId(1, new byte[] {1}, new byte[] {2}));
        List<Runnable> ops = List.of(
                () -> t.get(docs, new Object[] {"a"}),
                () -> t.cursor(docs, KeyRange.all()),
                () -> t.insert(docs, new Object[] {"z", 1, null}),
                () -> t.update(docs, new Object[] {"a", 6, null}),
                () -> t.upsert(docs, new Object[] {"a", 6, null}),
                () -> t.delete(docs, new Object[] {"a"}),
                t::savepoint,
                () -> t.rollbackTo(0),
                () -> t.prepare(31, null));
        for (Runnable op : ops) {
            assertEquals(ErrorCode.INVALID_TRANSACTION_STATE, code(op::run));
        }
        assertEquals(TxnState.PREPARED, t.state());
        Transaction other = engine.openSession().begin();
        other.update(docs, new Object[] {"b", 4, null});
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                code(() -> other.prepare(32, new GlobalTxnId(1, new byte[] {1}, new byte[] {2}))),
                "a duplicate xid is refused");
        other.rollback();
        t.commit(30, 30);
        assertEquals(List.of("a:5", "b:2"), contents());
    }

    @Test
    void closedSessionsTransactionsCursorsAndEnginesFailWithClosed() {
        seed();
        Transaction t = s.begin();
        Cursor c = t.cursor(docs, KeyRange.all());
        assertEquals(ErrorCode.INVALID_ARGUMENT, code(c::row), "row() before a move");
        assertTrue(c.next());
        t.commit(15, 0);
        assertEquals(ErrorCode.CLOSED, code(c::next), "a finished transaction closes its cursors");
        Transaction u = s.begin();
        u.upsert(docs, new Object[] {"x", 1, null});
        s.close();
        assertEquals(ErrorCode.CLOSED, code(() -> u.commit(16, 0)), "commit of a closed session");
        assertEquals(TxnState.ROLLED_BACK, u.state());
        assertEquals(List.of("a:1", "b:2"), contents());
        Session s2 = engine.openSession();
        Transaction v = s2.begin();
        engine.close();
        assertEquals(ErrorCode.CLOSED, code(() -> v.get(docs, new Object[] {"a"})));
        assertEquals(ErrorCode.CLOSED, code(s2::begin));
        assertEquals(ErrorCode.CLOSED, code(engine::tables));
        assertEquals(ErrorCode.CLOSED, code(() -> engine.setTimestamp(TimestampKind.STABLE, 100)));
        v.close(); // never throws
    }

    @Test
    void foreignTableHandlesAndSchemaChangesOnAFollowerAreRefused() {
        try (Engine other =
                StrataEngine.open(EngineConfig.builder().nodeId("other").build())) {
            TableHandle foreign = other.createTable(DOCS, false);
            Transaction t = s.begin();
            assertEquals(ErrorCode.TABLE_NOT_FOUND, code(() -> t.get(foreign, new Object[] {"a"})));
        }
        assertEquals(ErrorCode.TABLE_NOT_FOUND, code(() -> engine.dropTable("NOPE", false)));
        try (Engine follower = StrataEngine.open(
                EngineConfig.builder().nodeId("f").role(Role.FOLLOWER).build())) {
            assertEquals(ErrorCode.NOT_LEADER, code(() -> follower.createTable(DOCS, false)));
            assertEquals(ErrorCode.NOT_LEADER, code(follower::checkpoint));
        }
        assertTrue(engine.preparedTransaction(new GlobalTxnId(9, new byte[0], new byte[0]))
                .isEmpty());
        assertArrayEquals(new Object[0], engine.checkpoints().toArray());
        // checkpoints are supported since issue #4
        assertEquals(List.of(engine.checkpoint()), engine.checkpoints());
    }
}
