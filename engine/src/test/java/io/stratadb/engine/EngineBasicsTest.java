package io.stratadb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import io.stratadb.api.TxnState;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EngineBasicsTest {
    static final TableSchema ACCOUNTS = new TableSchema(
            "ACCOUNTS",
            List.of(
                    new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null),
                    new ColumnDef("NAME", ColumnType.VARCHAR, 20, 0, true, null),
                    ColumnDef.of("BALANCE", ColumnType.BIGINT)),
            List.of(0));

    private final Engine engine = StorageProviders.get("strata").open(EngineConfig.inMemory());

    @AfterEach
    void close() {
        engine.close();
    }

    static Object[] must(Object @Nullable [] row) {
        return java.util.Objects.requireNonNull(row, "row expected");
    }

    static ErrorCode code(Executable e) {
        return assertThrows(StrataException.class, e).code();
    }

    private static List<Integer> ids(Cursor c, boolean forward) {
        List<Integer> out = new ArrayList<>();
        while (forward ? c.next() : c.prev()) {
            out.add((Integer) c.row()[0]);
        }
        return out;
    }

    @Test
    void crudThroughTheSpiWithCommitAndRollback() {
        TableHandle t = engine.createTable(ACCOUNTS, false);
        assertEquals(t, engine.createTable(ACCOUNTS, true));
        assertEquals(ErrorCode.TABLE_EXISTS, code(() -> engine.createTable(ACCOUNTS, false)));
        try (Session s = engine.openSession()) {
            Transaction tx = s.begin();
            for (int i = 0; i < 10; i++) {
                tx.insert(t, new Object[] {i, "n" + i, (long) i * 100});
            }
            assertEquals(ErrorCode.DUPLICATE_KEY, code(() -> tx.insert(t, new Object[] {3, "x", 0L})));
            assertTrue(tx.update(t, new Object[] {3, "three", 300L}));
            assertFalse(tx.update(t, new Object[] {42, "none", 0L}));
            assertTrue(tx.delete(t, new Object[] {4}));
            assertFalse(tx.delete(t, new Object[] {4}));
            tx.upsert(t, new Object[] {20, "twenty", 1L});
            assertArrayEquals(new Object[] {3, "three", 300L}, tx.get(t, new Object[] {3}));
            tx.commit();
            assertEquals(TxnState.COMMITTED, tx.state());
            assertNull(s.current());

            Transaction tx2 = s.begin();
            assertEquals(List.of(0, 1, 2, 3, 5, 6, 7, 8, 9, 20), ids(tx2.cursor(t, KeyRange.all()), true));
            assertEquals(List.of(20, 9, 8, 7, 6, 5, 3, 2, 1, 0), ids(tx2.cursor(t, KeyRange.all()), false));
            assertEquals(
                    List.of(2, 3, 5),
                    ids(tx2.cursor(t, new KeyRange(new Object[] {1}, false, new Object[] {6}, false)), true));
            assertEquals(List.of(6, 7), ids(tx2.cursor(t, KeyRange.closed(new Object[] {6}, new Object[] {7})), true));
            tx2.delete(t, new Object[] {0});
            tx2.insert(t, new Object[] {100, "h", 5L});
            tx2.rollback();
            Transaction tx3 = s.begin();
            assertEquals(10, ids(tx3.cursor(t, KeyRange.all()), true).size());
            assertNull(tx3.get(t, new Object[] {100}));
            tx3.commit();
        }
    }

    @Test
    void snapshotIsolationAndFirstCommitterWins() {
        TableHandle t = engine.createTable(ACCOUNTS, false);
        try (Session a = engine.openSession();
                Session b = engine.openSession()) {
            Transaction setup = a.begin();
            setup.insert(t, new Object[] {1, "a", 10L});
            setup.commit();

            Transaction ta = a.begin();
            Transaction tb = b.begin();
            ta.update(t, new Object[] {1, "a", 11L});
            assertEquals(10L, must(tb.get(t, new Object[] {1}))[2], "uncommitted writes are invisible");
            assertEquals(ErrorCode.WRITE_CONFLICT, code(() -> tb.update(t, new Object[] {1, "b", 12L})));
            assertEquals(TxnState.ROLLED_BACK, tb.state(), "the loser is rolled back");
            tb.rollback(); // rolling back what the engine already rolled back is allowed
            assertEquals(ErrorCode.INVALID_TRANSACTION_STATE, code(tb::commit));
            ta.commit();

            Transaction reader = b.begin();
            assertEquals(11L, must(reader.get(t, new Object[] {1}))[2]);
            Transaction late = a.begin();
            late.update(t, new Object[] {1, "a", 13L});
            late.commit();
            assertEquals(11L, must(reader.get(t, new Object[] {1}))[2], "the snapshot is stable");
            assertEquals(ErrorCode.WRITE_CONFLICT, code(() -> reader.delete(t, new Object[] {1})));
        }
    }

    @Test
    void savepointsUndoLaterWritesOnly() {
        TableHandle t = engine.createTable(ACCOUNTS, false);
        try (Session s = engine.openSession()) {
            Transaction tx = s.begin();
            tx.insert(t, new Object[] {1, "a", 1L});
            long sp = tx.savepoint();
            tx.insert(t, new Object[] {2, "b", 2L});
            tx.update(t, new Object[] {1, "a2", 1L});
            tx.rollbackTo(sp);
            assertArrayEquals(new Object[] {1, "a", 1L}, tx.get(t, new Object[] {1}));
            assertNull(tx.get(t, new Object[] {2}));
            tx.insert(t, new Object[] {2, "b", 3L});
            tx.commit();
            Transaction r = s.begin();
            assertEquals(3L, must(r.get(t, new Object[] {2}))[2]);
        }
    }

    @Test
    void sessionRunsOneTransactionAndClosedThingsFail() {
        TableHandle t = engine.createTable(ACCOUNTS, false);
        Session s = engine.openSession();
        Transaction tx = s.begin();
        assertEquals(ErrorCode.INVALID_TRANSACTION_STATE, code(s::begin));
        tx.insert(t, new Object[] {1, "a", 1L});
        tx.commit();
        assertEquals(ErrorCode.INVALID_TRANSACTION_STATE, code(tx::commit));
        Transaction open = s.begin();
        s.close();
        assertEquals(TxnState.ROLLED_BACK, open.state());
        assertEquals(ErrorCode.CLOSED, code(open::commit));
        assertEquals(ErrorCode.CLOSED, code(s::begin));
        engine.dropTable("ACCOUNTS", false);
        try (Session s2 = engine.openSession()) {
            Transaction t2 = s2.begin();
            assertEquals(ErrorCode.TABLE_NOT_FOUND, code(() -> t2.get(t, new Object[] {1})));
        }
        assertFalse(engine.dropTable("ACCOUNTS", true));
        engine.close();
        assertEquals(ErrorCode.CLOSED, code(engine::openSession));
    }

    @Test
    void oldVersionsArePrunedUnlessAReaderStillNeedsThem() {
        TableHandle t = engine.createTable(ACCOUNTS, false);
        try (Session w = engine.openSession();
                Session r = engine.openSession()) {
            Transaction init = w.begin();
            init.insert(t, new Object[] {1, "v", 0L});
            init.commit();
            Transaction oldReader = r.begin();
            for (long i = 1; i <= 2000; i++) {
                Transaction tx = w.begin();
                tx.update(t, new Object[] {1, "v", i});
                tx.commit();
            }
            assertEquals(0L, must(oldReader.get(t, new Object[] {1}))[2], "a live snapshot keeps its version");
            oldReader.commit();
            for (long i = 2001; i <= 2200; i++) {
                Transaction tx = w.begin();
                tx.update(t, new Object[] {1, "v", i});
                tx.commit();
            }
            var entry = java.util.Objects.requireNonNull(
                    ((StrataEngine) engine).catalog().byName("ACCOUNTS"));
            var slot = entry.tree().find(entry.keys().encodeKey(new Object[] {1}));
            int length = 0;
            for (var u = java.util.Objects.requireNonNull(slot).head(); u != null; u = u.next()) {
                length++;
            }
            assertTrue(length < 200, "chain of " + length + " versions was not pruned");
            Transaction now = r.begin();
            assertEquals(2200L, must(now.get(t, new Object[] {1}))[2]);
        }
    }

    @Test
    void compositeKeysSupportPrefixRangesAndSeek() {
        TableSchema orders = new TableSchema(
                "ORDERS",
                List.of(
                        new ColumnDef("CUST", ColumnType.VARCHAR, 10, 0, false, null),
                        new ColumnDef("NO", ColumnType.INTEGER, 0, 0, false, null),
                        ColumnDef.of("AMOUNT", ColumnType.DECIMAL)),
                List.of(0, 1));
        TableHandle t = engine.createTable(orders, false);
        try (Session s = engine.openSession()) {
            Transaction tx = s.begin();
            for (String c : List.of("a", "ab", "b")) {
                for (int n = -2; n <= 2; n++) {
                    tx.insert(t, new Object[] {c, n, new java.math.BigDecimal(n)});
                }
            }
            List<String> exactlyA = keys(tx.cursor(t, KeyRange.exactly(new Object[] {"a"})));
            assertEquals(List.of("a/-2", "a/-1", "a/0", "a/1", "a/2"), exactlyA, "prefix 'a' excludes 'ab'");
            assertEquals(
                    List.of("b/-2", "b/-1", "b/0", "b/1", "b/2"),
                    keys(tx.cursor(t, new KeyRange(new Object[] {"ab"}, false, null, true))),
                    "an exclusive prefix bound skips every key with that prefix");
            assertEquals(
                    List.of("a/1", "a/2", "ab/-2"),
                    keys(tx.cursor(t, KeyRange.closed(new Object[] {"a", 1}, new Object[] {"ab", -2}))));
            Cursor c = tx.cursor(t, KeyRange.all());
            c.seek(new Object[] {"ab", 0});
            assertTrue(c.next());
            assertEquals("ab", c.row()[0]);
            assertEquals(0, c.row()[1]);
            c.seek(new Object[] {"b"});
            assertTrue(c.prev());
            assertEquals(List.of("ab", 2), List.of(c.row()[0], c.row()[1]));
            tx.commit();
        }
    }

    private static List<String> keys(Cursor c) {
        List<String> out = new ArrayList<>();
        while (c.next()) {
            out.add(c.row()[0] + "/" + c.row()[1]);
        }
        return out;
    }
}
