package io.stratadb.sql.calcite;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.fails;
import static io.stratadb.sql.testing.TestDb.rows;
import static io.stratadb.sql.testing.TestDb.update;
import static io.stratadb.sql.testing.TestDb.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** INSERT, UPDATE and DELETE through {@link StrataModifyRule} and {@link TableWriter}, over JDBC. */
class StrataTableModifyTest {
    private static Connection withAccounts() throws SQLException {
        TestDb.assumeEngine();
        Connection c = TestDb.connect();
        exec(c, "CREATE TABLE acct (id INT PRIMARY KEY, owner VARCHAR(8) NOT NULL, bal SMALLINT)");
        exec(c, "INSERT INTO acct VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
        return c;
    }

    @Test
    void countsAreRowsChanged() throws SQLException {
        try (Connection c = withAccounts()) {
            String plan = String.join("\n", rows(c, "EXPLAIN PLAN FOR UPDATE acct SET bal = 0 WHERE id = 2"));
            assertTrue(plan.contains("StrataTableModify") && plan.contains("access=[POINT(ID)]"), plan);
            assertEquals(2, update(c, "UPDATE acct SET bal = bal + 1 WHERE id >= 2"));
            assertEquals(0, update(c, "UPDATE acct SET bal = 0 WHERE id = 99"));
            assertEquals(1, update(c, "DELETE FROM acct WHERE owner = 'a'"));
            assertEquals(List.of("2,b,21", "3,c,31"), rows(c, "SELECT * FROM acct ORDER BY id"));
            assertEquals(2, update(c, "DELETE FROM acct"));
            assertEquals("0", value(c, "SELECT COUNT(*) FROM acct"));
        }
    }

    @Test
    void insertSelectFromTheSameTableSeesOnlyTheRowsBeforeTheStatement() throws SQLException {
        try (Connection c = withAccounts()) {
            assertEquals(3, update(c, "INSERT INTO acct SELECT id + 10, owner, bal FROM acct"));
            assertEquals("6", value(c, "SELECT COUNT(*) FROM acct"));
        }
    }

    @Test
    void updatingThePrimaryKeyHasNoHalloweenProblem() throws SQLException {
        try (Connection c = withAccounts()) {
            assertEquals(3, update(c, "UPDATE acct SET id = id + 1"));
            assertEquals(List.of("2,a,10", "3,b,20", "4,c,30"), rows(c, "SELECT * FROM acct ORDER BY id"));
        }
    }

    @Test
    void duplicateKeyFailsAndTheWholeStatementIsUndone() throws SQLException {
        try (Connection c = withAccounts()) {
            SQLException e = fails(c, "23505", "INSERT INTO acct VALUES (4, 'd', 1), (5, 'e', 2), (1, 'x', 3)");
            assertInstanceOf(SQLIntegrityConstraintViolationException.class, e);
            assertTrue(String.valueOf(e.getMessage()).contains("ACCT"), e.getMessage());
            assertEquals("3", value(c, "SELECT COUNT(*) FROM acct"), "rows 4 and 5 were rolled back");
            fails(c, "23505", "UPDATE acct SET id = 1 WHERE id = 2");
            assertEquals(List.of("1,a,10", "2,b,20", "3,c,30"), rows(c, "SELECT * FROM acct ORDER BY id"));
        }
    }

    @Test
    void constraintAndRangeViolationsUseClass22And23() throws SQLException {
        try (Connection c = withAccounts()) {
            fails(c, "23502", "INSERT INTO acct VALUES (9, NULL, 1)");
            fails(c, "23502", "UPDATE acct SET owner = NULL WHERE id = 1");
            SQLException range = fails(c, "22003", "INSERT INTO acct VALUES (9, 'z', 40000)");
            assertTrue(String.valueOf(range.getMessage()).contains("40000"), range.getMessage());
            SQLException computed = fails(c, "22003", "UPDATE acct SET bal = bal * 2000");
            assertTrue(String.valueOf(computed.getMessage()).contains("ACCT"), computed.getMessage());
            fails(c, "22001", "INSERT INTO acct VALUES (9, 'far too long', 1)");
            fails(c, "22003", "UPDATE acct SET bal = bal * 2000");
            assertEquals(List.of("1,a,10", "2,b,20", "3,c,30"), rows(c, "SELECT * FROM acct ORDER BY id"));
        }
    }

    @Test
    void aFailedStatementInATransactionKeepsTheEarlierStatements() throws SQLException {
        try (Connection c = withAccounts()) {
            c.setAutoCommit(false);
            exec(c, "INSERT INTO acct VALUES (4, 'd', 40)");
            fails(c, "23505", "INSERT INTO acct VALUES (5, 'e', 50), (4, 'x', 0)");
            c.commit();
            assertEquals(List.of("1", "2", "3", "4"), rows(c, "SELECT id FROM acct ORDER BY id"));
        }
    }

    @Test
    void preparedDmlRunsManyTimesWithParameters() throws SQLException {
        try (Connection c = withAccounts();
                PreparedStatement ins = c.prepareStatement("INSERT INTO acct (id, owner) VALUES (?, ?)");
                PreparedStatement upd = c.prepareStatement("UPDATE acct SET bal = ? WHERE id = ?")) {
            for (int i = 10; i < 20; i++) {
                ins.setInt(1, i);
                ins.setString(2, "o" + i);
                ins.addBatch();
            }
            assertEquals(10, ins.executeBatch().length);
            upd.setInt(1, 5);
            upd.setInt(2, 15);
            assertEquals(1, upd.executeUpdate());
            assertEquals("o15,5", value(c, "SELECT owner, bal FROM acct WHERE id = 15"));
            assertEquals("13", value(c, "SELECT COUNT(*) FROM acct"));
        }
    }
}
