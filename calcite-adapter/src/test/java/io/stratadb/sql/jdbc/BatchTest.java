package io.stratadb.sql.jdbc;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.testing.TestDb;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code PreparedStatement.executeBatch} for INSERT, UPDATE and DELETE: update counts, one transaction per batch
 * in auto-commit mode (a failing row rolls back the whole batch), {@link BatchUpdateException} with the counts of
 * the rows before the failing one, and batches inside a manual transaction.
 */
class BatchTest {
    private static Connection withTable() throws SQLException {
        return withTable(TestDb.newUrl());
    }

    private static Connection withTable(String url) throws SQLException {
        TestDb.assumeEngine();
        Connection c = DriverManager.getConnection(url);
        exec(c, "CREATE TABLE t (id BIGINT PRIMARY KEY, n INTEGER NOT NULL, v VARCHAR(5))");
        return c;
    }

    private static void add(PreparedStatement ps, long id, int n, String v) throws SQLException {
        ps.setLong(1, id);
        ps.setInt(2, n);
        ps.setString(3, v);
        ps.addBatch();
    }

    @Test
    void insertUpdateAndDeleteBatchesReturnOneCountPerRow() throws SQLException {
        try (Connection c = withTable();
                PreparedStatement ins = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)");
                PreparedStatement upd = c.prepareStatement("UPDATE t SET v = ? WHERE id >= ? AND id < ?");
                PreparedStatement del = c.prepareStatement("DELETE FROM t WHERE id = ?")) {
            for (int i = 0; i < 10; i++) {
                add(ins, i, i * 10, "r" + i);
            }
            assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, ins.executeBatch());
            assertEquals("10", rows(c, "SELECT COUNT(*) FROM t").get(0));
            assertArrayEquals(new int[0], ins.executeBatch(), "the batch was cleared");
            upd.setString(1, "a");
            upd.setLong(2, 0);
            upd.setLong(3, 3);
            upd.addBatch();
            upd.setString(1, "b");
            upd.setLong(2, 8);
            upd.setLong(3, 100);
            upd.addBatch();
            upd.setString(1, "c");
            upd.setLong(2, 50);
            upd.setLong(3, 60);
            upd.addBatch();
            assertArrayEquals(new long[] {3, 2, 0}, upd.executeLargeBatch());
            del.setLong(1, 1);
            del.addBatch();
            del.setLong(1, 1);
            del.addBatch();
            del.setLong(1, 9);
            del.addBatch();
            assertArrayEquals(new int[] {1, 0, 1}, del.executeBatch());
            assertEquals(
                    List.of("0,a", "2,a", "3,r3", "8,b"),
                    rows(c, "SELECT id, v FROM t WHERE id IN (0, 1, 2, 3, 8, 9) ORDER BY id"));
        }
    }

    @Test
    void aFailingRowInAutoCommitRollsBackTheWholeBatchAndReportsTheCountsBeforeIt() throws SQLException {
        String url = TestDb.newUrl();
        try (Connection c = withTable(url);
                PreparedStatement ins = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
            exec(c, "INSERT INTO t VALUES (100, 1, 'old')");
            add(ins, 1, 1, "a");
            add(ins, 2, 2, "b");
            add(ins, 100, 3, "dup"); // duplicate key
            add(ins, 4, 4, "d");
            BatchUpdateException e = assertThrows(BatchUpdateException.class, ins::executeBatch);
            assertEquals("23505", e.getSQLState(), e.getMessage());
            assertTrue(String.valueOf(e.getMessage()).contains("T"), "names the table: " + e.getMessage());
            assertArrayEquals(new int[] {1, 1}, e.getUpdateCounts(), "counts of the rows before the failing one");
            assertArrayEquals(new long[] {1, 1}, e.getLargeUpdateCounts());
            assertEquals(List.of("100,old"), rows(c, "SELECT id, v FROM t ORDER BY id"), "the table is unchanged");
            add(ins, 5, 5, "e");
            add(ins, 6, 6, "toolong"); // longer than VARCHAR(5)
            BatchUpdateException tooLong = assertThrows(BatchUpdateException.class, ins::executeBatch);
            assertEquals("22001", tooLong.getSQLState());
            assertArrayEquals(new int[] {1}, tooLong.getUpdateCounts());
            assertEquals(List.of("100,old"), rows(c, "SELECT id, v FROM t ORDER BY id"));
            add(ins, 7, 7, "g");
            assertArrayEquals(new int[] {1}, ins.executeBatch(), "the statement works after a failed batch");
            assertEquals(List.of("7,g", "100,old"), rows(c, "SELECT id, v FROM t ORDER BY id"));
            ins.setLong(1, 8);
            ins.setInt(2, 8);
            ins.setString(3, "h");
            assertEquals(1, ins.executeUpdate(), "single executions still auto-commit");
            try (Connection other = DriverManager.getConnection(url)) {
                assertEquals("3", rows(other, "SELECT COUNT(*) FROM t").get(0), "committed rows are visible");
            }
        }
    }

    @Test
    void inAManualTransactionAFailedRowIsUndoneAndTheEarlierRowsStay() throws SQLException {
        String url = TestDb.newUrl();
        try (Connection c = withTable(url);
                PreparedStatement ins = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
            c.setAutoCommit(false);
            add(ins, 1, 1, "a");
            add(ins, 1, 2, "dup");
            add(ins, 3, 3, "c");
            BatchUpdateException e = assertThrows(BatchUpdateException.class, ins::executeBatch);
            assertEquals("23505", e.getSQLState());
            assertArrayEquals(new int[] {1}, e.getUpdateCounts());
            assertEquals(List.of("1,a"), rows(c, "SELECT id, v FROM t"), "the transaction keeps the first row");
            try (Connection other = DriverManager.getConnection(url)) {
                assertEquals("0", rows(other, "SELECT COUNT(*) FROM t").get(0), "nothing is committed yet");
            }
            add(ins, 2, 2, "b");
            assertArrayEquals(new int[] {1}, ins.executeBatch());
            c.commit();
            c.setAutoCommit(true);
            assertEquals(List.of("1,a", "2,b"), rows(c, "SELECT id, v FROM t ORDER BY id"));
        }
    }

    @Test
    void aStatementBatchOfSqlTextReportsAFailureAsBatchUpdateException() throws SQLException {
        try (Connection c = withTable();
                Statement s = c.createStatement()) {
            s.addBatch("INSERT INTO t VALUES (1, 1, 'a')");
            s.addBatch("UPDATE t SET n = 2 WHERE id = 1");
            s.addBatch("INSERT INTO t VALUES (1, 3, 'dup')"); // duplicate key
            s.addBatch("INSERT INTO t VALUES (4, 4, 'd')");
            BatchUpdateException e = assertThrows(BatchUpdateException.class, s::executeBatch);
            assertEquals("23505", e.getSQLState(), e.getMessage());
            assertArrayEquals(new long[] {1, 1}, e.getLargeUpdateCounts(), "the counts of the statements before it");
            // each statement of a Statement batch is its own auto-commit transaction: the first two stay
            assertEquals(List.of("1,2"), rows(c, "SELECT id, n FROM t ORDER BY id"));
            s.addBatch("INSERT INTO t VALUES (5, 5, 'e')");
            assertArrayEquals(new int[] {1}, s.executeBatch(), "the batch was cleared after the failure");
        }
    }

    @Test
    void aQueryCannotBeBatched() throws SQLException {
        try (Connection c = withTable();
                PreparedStatement sel = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            sel.setLong(1, 1);
            sel.addBatch();
            BatchUpdateException e = assertThrows(BatchUpdateException.class, sel::executeBatch);
            assertEquals("22023", e.getSQLState(), e.getMessage());
            assertEquals(0, e.getUpdateCounts().length);
        }
    }

    @Test
    void aLargeBatchTakesTheDirectInsertPathAndCommitsOnce() throws SQLException {
        try (Connection c = withTable();
                PreparedStatement ins = c.prepareStatement("INSERT INTO t (id, n, v) VALUES (?, ?, ?)");
                PreparedStatement direct = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
            for (int i = 0; i < 500; i++) {
                add(i % 2 == 0 ? ins : direct, i, i, "x");
            }
            assertEquals(250, ins.executeBatch().length);
            long before = DirectInsert.executions();
            assertEquals(250, direct.executeBatch().length);
            assertTrue(DirectInsert.executions() >= before + 250, "the batch rows take the direct path");
            assertEquals("500", rows(c, "SELECT COUNT(*) FROM t").get(0));
            assertEquals("124750", rows(c, "SELECT SUM(n) FROM t").get(0));
        }
    }
}
