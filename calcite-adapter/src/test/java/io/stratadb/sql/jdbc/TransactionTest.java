package io.stratadb.sql.jdbc;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.rows;
import static io.stratadb.sql.testing.TestDb.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stratadb.sql.testing.TestDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Auto-commit, commit, rollback, isolation and conflicts through JDBC, and HikariCP on top. */
class TransactionTest {
    @Test
    void defaultsFollowJdbcAndSnapshotIsolationIsReportedAsRepeatableRead() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            assertTrue(c.getAutoCommit());
            assertEquals(Connection.TRANSACTION_REPEATABLE_READ, c.getTransactionIsolation());
            assertTrue(c.getMetaData().supportsTransactions());
            assertEquals(Connection.TRANSACTION_REPEATABLE_READ, c.getMetaData().getDefaultTransactionIsolation());
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            assertEquals(Connection.TRANSACTION_REPEATABLE_READ, c.getTransactionIsolation(), "upgraded");
            assertThrows(
                    SQLFeatureNotSupportedException.class,
                    () -> c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE));
        }
    }

    @Test
    void uncommittedWritesAreInvisibleToOthersUntilCommitAndRollbackUndoesThem() throws SQLException {
        TestDb.assumeEngine();
        String url = TestDb.newUrl();
        try (Connection a = DriverManager.getConnection(url);
                Connection b = DriverManager.getConnection(url)) {
            exec(a, "CREATE TABLE t (id INT PRIMARY KEY, v INT)");
            a.setAutoCommit(false);
            exec(a, "INSERT INTO t VALUES (1, 1)");
            assertEquals("1", value(a, "SELECT COUNT(*) FROM t"), "own writes are visible");
            assertEquals("0", value(b, "SELECT COUNT(*) FROM t"));
            a.commit();
            assertEquals("1", value(b, "SELECT COUNT(*) FROM t"));
            exec(a, "DELETE FROM t");
            a.rollback();
            assertEquals("1", value(b, "SELECT COUNT(*) FROM t"));
            assertEquals("1", value(a, "SELECT COUNT(*) FROM t"));
            exec(a, "INSERT INTO t VALUES (2, 2)");
            a.setAutoCommit(true);
            assertEquals("2", value(b, "SELECT COUNT(*) FROM t"), "turning auto-commit on commits");
        }
    }

    @Test
    void writeConflictIsRetryableTransactionRollback() throws SQLException {
        TestDb.assumeEngine();
        String url = TestDb.newUrl();
        try (Connection a = DriverManager.getConnection(url);
                Connection b = DriverManager.getConnection(url)) {
            exec(a, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 0)");
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            assertEquals("0", value(b, "SELECT v FROM t WHERE id = 1"));
            exec(a, "UPDATE t SET v = 1 WHERE id = 1");
            a.commit();
            SQLException e;
            try (Statement s = b.createStatement()) {
                e = assertThrows(SQLException.class, () -> {
                    s.executeUpdate("UPDATE t SET v = 2 WHERE id = 1");
                    b.commit();
                });
            }
            assertInstanceOf(SQLTransactionRollbackException.class, e, e.toString());
            assertEquals("40001", e.getSQLState());
            b.rollback();
            assertEquals("1", value(b, "SELECT v FROM t WHERE id = 1"));
        }
    }

    @Test
    void aTransactionKilledByAConflictCannotBeCommittedByMistake() throws SQLException {
        TestDb.assumeEngine();
        String url = TestDb.newUrl();
        try (Connection a = DriverManager.getConnection(url);
                Connection b = DriverManager.getConnection(url)) {
            exec(a, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 0)");
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            exec(b, "INSERT INTO t VALUES (2, 2)");
            exec(a, "UPDATE t SET v = 1 WHERE id = 1");
            a.commit();
            SQLException conflict = assertThrows(SQLException.class, () -> exec(b, "UPDATE t SET v = 3 WHERE id = 1"));
            assertEquals("40001", conflict.getSQLState(), conflict.toString());
            SQLException commit = assertThrows(SQLTransactionRollbackException.class, b::commit);
            assertTrue(String.valueOf(commit.getMessage()).contains("rolled back"), commit.getMessage());
            assertEquals(List.of("1,1"), rows(b, "SELECT * FROM t ORDER BY id"), "row 2 was never committed");
            b.commit();
            // Without rollback(), every statement after a conflict is refused, and the commit commits nothing: a
            // statement run after the error must not start a new transaction that a commit would then commit
            exec(a, "UPDATE t SET v = 5 WHERE id = 1");
            assertEquals("1", value(b, "SELECT v FROM t WHERE id = 1"), "b's snapshot predates a's second update");
            a.commit();
            exec(b, "INSERT INTO t VALUES (3, 3)"); // part of the transaction the conflict kills
            assertThrows(SQLTransactionRollbackException.class, () -> exec(b, "UPDATE t SET v = 6 WHERE id = 1"));
            for (int i = 0; i < 2; i++) {
                SQLException next = assertThrows(
                        SQLTransactionRollbackException.class, () -> exec(b, "INSERT INTO t VALUES (4, 4)"));
                assertTrue(String.valueOf(next.getMessage()).contains("rollback()"), next.getMessage());
            }
            assertThrows(SQLTransactionRollbackException.class, () -> value(b, "SELECT COUNT(*) FROM t"));
            SQLException ended = assertThrows(SQLTransactionRollbackException.class, b::commit);
            assertTrue(String.valueOf(ended.getMessage()).contains("nothing of it"), ended.getMessage());
            assertEquals(List.of("1,5"), rows(a, "SELECT * FROM t ORDER BY id"), "rows 3 and 4 were never committed");
            a.commit(); // a's next read takes a new snapshot
            b.commit(); // the failed commit ended the transaction: nothing is open
            exec(b, "INSERT INTO t VALUES (4, 4)");
            b.commit();
            assertEquals(List.of("1,5", "4,4"), rows(a, "SELECT * FROM t ORDER BY id"));
            // and rollback() ends a killed transaction too
            exec(a, "UPDATE t SET v = 7 WHERE id = 1");
            exec(b, "UPDATE t SET v = 8 WHERE id = 4");
            a.commit();
            assertThrows(SQLTransactionRollbackException.class, () -> exec(b, "UPDATE t SET v = 9 WHERE id = 1"));
            assertThrows(SQLTransactionRollbackException.class, () -> exec(b, "INSERT INTO t VALUES (5, 5)"));
            b.rollback();
            exec(b, "INSERT INTO t VALUES (5, 5)");
            b.commit();
            assertEquals(List.of("1,7", "4,4", "5,5"), rows(a, "SELECT * FROM t ORDER BY id"));
        }
    }

    @Test
    void aClosedConnectionAnswers08003AndSavepointsAre0A000() throws SQLException {
        TestDb.assumeEngine();
        Connection c = TestDb.connect();
        for (Executable savepoint : List.<Executable>of(
                c::setSavepoint, () -> c.setSavepoint("s"), () -> c.rollback(null), () -> c.releaseSavepoint(null))) {
            SQLException e = assertThrows(SQLFeatureNotSupportedException.class, savepoint);
            assertEquals("0A000", e.getSQLState());
            assertTrue(String.valueOf(e.getMessage()).contains("savepoints"), e.getMessage());
        }
        c.close();
        for (Executable op : List.<Executable>of(
                c::createStatement,
                () -> c.prepareStatement("SELECT 1"),
                c::commit,
                c::rollback,
                () -> c.setAutoCommit(false),
                () -> c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED),
                c::setSavepoint)) {
            SQLException e = assertThrows(SQLException.class, op);
            assertEquals("08003", e.getSQLState(), e.toString());
        }
        c.close(); // closing again is a no-op
    }

    @Test
    void readOnlyConnectionsRefuseWrites() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            exec(c, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            c.setReadOnly(true);
            assertTrue(c.isReadOnly());
            assertEquals("1", value(c, "SELECT COUNT(*) FROM t"));
            SQLException e = assertThrows(SQLException.class, () -> exec(c, "INSERT INTO t VALUES (2)"));
            assertEquals("25006", e.getSQLState(), e.toString());
            c.setReadOnly(false);
            exec(c, "INSERT INTO t VALUES (2)");
            assertEquals("2", value(c, "SELECT COUNT(*) FROM t"));
        }
    }

    @Test
    void hikariPoolRollsBackADirtyConnectionReturnedToThePool() throws SQLException {
        TestDb.assumeEngine();
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(TestDb.newUrl());
        cfg.setMaximumPoolSize(1);
        cfg.setAutoCommit(false);
        try (HikariDataSource pool = new HikariDataSource(cfg)) {
            try (Connection c = pool.getConnection()) {
                exec(c, "CREATE TABLE t (id INT PRIMARY KEY)");
                exec(c, "INSERT INTO t VALUES (1)");
                c.commit();
                exec(c, "INSERT INTO t VALUES (2)");
                // returned dirty, without commit
            }
            try (Connection c = pool.getConnection()) {
                assertFalse(c.getAutoCommit());
                assertEquals(List.of("1"), rows(c, "SELECT id FROM t"), "the pool rolled back row 2");
                c.commit();
            }
        }
        HikariConfig viaDataSource = new HikariConfig();
        viaDataSource.setDataSourceClassName(StrataDataSource.class.getName());
        viaDataSource.addDataSourceProperty("url", TestDb.newUrl());
        viaDataSource.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(viaDataSource);
                Connection c = pool.getConnection()) {
            assertTrue(c.isValid(1));
            assertEquals("1", value(c, "VALUES 1"));
        }
    }
}
