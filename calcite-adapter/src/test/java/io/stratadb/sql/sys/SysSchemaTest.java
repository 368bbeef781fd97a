package io.stratadb.sql.sys;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.fails;
import static io.stratadb.sql.testing.TestDb.rows;
import static io.stratadb.sql.testing.TestDb.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class SysSchemaTest {
    @Test
    void everySystemTableIsReadableAndCurrent() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            for (String t : SysSchema.tableNames()) {
                rows(c, "SELECT * FROM SYS." + t);
            }
            assertEquals("LEADER", value(c, "SELECT role FROM sys.node"));
            assertEquals("0", value(c, "SELECT COUNT(*) FROM sys.tables"));
            exec(c, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(3))");
            assertEquals("T,ID,2", value(c, "SELECT table_name, primary_key, column_count FROM sys.tables"));
            assertEquals(List.of("1"), rows(c, "SELECT COUNT(*) FROM sys.cache"));
        }
    }

    @Test
    void openTransactionsAreListed() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            exec(c, "CREATE TABLE t (id INT PRIMARY KEY)");
            c.setAutoCommit(false);
            exec(c, "INSERT INTO t VALUES (1)");
            assertTrue(Integer.parseInt(String.valueOf(value(c, "SELECT COUNT(*) FROM sys.transactions"))) >= 1);
            c.rollback();
        }
    }

    @Test
    void writesToSystemTablesAreRefusedClearly() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            SQLException e = fails(c, "42809", "INSERT INTO sys.cache VALUES (1, 2, 3, 4, 5)");
            assertInstanceOf(SQLSyntaxErrorException.class, e);
            assertTrue(String.valueOf(e.getMessage()).contains("SYS.CACHE"), e.getMessage());
            fails(c, "42809", "DELETE FROM sys.node");
            fails(c, "42809", "UPDATE sys.tables SET table_name = 'x'");
            fails(c, "42809", "DROP TABLE sys.node");
        }
    }

    @Test
    void proceduresRunOrSayUnsupported() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect();
                Statement s = c.createStatement()) {
            try {
                assertEquals(false, s.execute("CALL SYS.CHECKPOINT()"));
            } catch (SQLFeatureNotSupportedException e) {
                assertEquals("0A000", e.getSQLState());
            }
            fails(c, "42000", "CALL SYS.NO_SUCH()");
            fails(c, "42000", "CALL SYS.CHECKPOINT(1)");
            fails(c, "22023", "CALL SYS.SET_TIMESTAMP('sideways', 5)");
            try (PreparedStatement ps = c.prepareStatement("CALL SYS.SET_TIMESTAMP(?, ?)")) {
                ps.setString(1, "later");
                ps.setLong(2, 1);
                SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, ps::execute);
                assertEquals("22023", e.getSQLState());
            }
        }
    }
}
