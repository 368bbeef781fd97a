package io.stratadb.sql.jdbc;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.fails;
import static io.stratadb.sql.testing.TestDb.rows;
import static io.stratadb.sql.testing.TestDb.update;
import static io.stratadb.sql.testing.TestDb.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.testing.TestDb;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrataDriverTest {
    @TempDir
    Path dir;

    @Test
    void driverManagerFindsTheDriverByUrl() throws SQLException {
        Driver d = DriverManager.getDriver("jdbc:strata:");
        assertInstanceOf(StrataDriver.class, d);
        assertTrue(d.acceptsURL("jdbc:strata:path=/tmp/x"));
        assertFalse(d.acceptsURL("jdbc:calcite:"));
    }

    @Test
    void badUrlPropertyFailsWithItsName() {
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:strata:cache=lots"));
        assertEquals("22023", e.getSQLState(), e.toString());
        assertTrue(String.valueOf(e.getMessage()).contains("cache"), e.getMessage());
    }

    @Test
    void createInsertSelectRoundTrip() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(10) NOT NULL, score DOUBLE)");
            assertEquals(2, update(c, "INSERT INTO t VALUES (1, 'ann', 1.5), (2, 'bob', NULL)"));
            assertEquals(List.of("1,ann,1.5", "2,bob,null"), rows(c, "SELECT * FROM t ORDER BY id"));
            exec(c, "CREATE TABLE IF NOT EXISTS t (x INT PRIMARY KEY)");
            fails(c, "42P07", "CREATE TABLE t (x INT PRIMARY KEY)");
            exec(c, "DROP TABLE t");
            fails(c, "42P01", "SELECT * FROM t");
            exec(c, "DROP TABLE IF EXISTS t");
            fails(c, "42P01", "DROP TABLE t");
        }
    }

    @Test
    void anUnsetParameterIsAClearDataErrorAndChangesNothing() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            exec(c, "CREATE TABLE p (k INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO p VALUES (1, 'a')");
            for (String sql : List.of(
                    "SELECT v FROM p WHERE k = ?", "UPDATE p SET v = ? WHERE k = 1", "INSERT INTO p VALUES (?, ?)")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    if (sql.startsWith("INSERT")) {
                        ps.setInt(1, 2); // the second parameter stays unset
                    }
                    SQLException e = assertThrows(SQLException.class, ps::execute, sql);
                    assertInstanceOf(java.sql.SQLDataException.class, e, sql);
                    assertEquals("22023", e.getSQLState(), sql);
                    assertTrue(String.valueOf(e.getMessage()).contains("is not set"), e.getMessage());
                }
            }
            assertEquals(List.of("1,a"), rows(c, "SELECT * FROM p"));
        }
    }

    @Test
    void aStatementPreparedBeforeTheTableWasRecreatedFailsClearly() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            exec(c, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM t WHERE id = ?")) {
                exec(c, "DROP TABLE t", "CREATE TABLE t (id INT PRIMARY KEY)");
                ps.setInt(1, 1);
                SQLException e = assertThrows(SQLException.class, () -> rows(ps.executeQuery()));
                assertEquals("42P01", e.getSQLState(), e.toString());
                assertTrue(String.valueOf(e.getMessage()).contains("prepare it again"), e.getMessage());
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM t")) {
                assertEquals(List.of("0"), rows(ps.executeQuery()));
            }
        }
    }

    @Test
    void everyColumnTypeRoundTripsThroughPreparedStatements() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            exec(
                    c,
                    "CREATE TABLE all_types (k BIGINT PRIMARY KEY, b BOOLEAN, s SMALLINT, i INTEGER,"
                            + " d DECIMAL(10,2), f DOUBLE, v VARCHAR(20), bin VARBINARY(8), dt DATE, tm TIME, ts TIMESTAMP)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO all_types VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setLong(1, 1);
                ps.setBoolean(2, true);
                ps.setShort(3, (short) -5);
                ps.setInt(4, 123456);
                ps.setBigDecimal(5, new BigDecimal("12.34"));
                ps.setDouble(6, 0.25);
                ps.setString(7, "héllo");
                ps.setBytes(8, new byte[] {1, 2, 3});
                ps.setDate(9, Date.valueOf("2024-02-29"));
                ps.setTime(10, Time.valueOf("12:34:56"));
                ps.setTimestamp(11, Timestamp.valueOf("2024-02-29 12:34:56.789"));
                assertEquals(1, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM all_types WHERE k = ?")) {
                ps.setLong(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertTrue(rs.getBoolean("B"));
                    assertEquals(-5, rs.getShort("S"));
                    assertEquals(123456, rs.getInt("I"));
                    assertEquals(new BigDecimal("12.34"), rs.getBigDecimal("D"));
                    assertEquals(0.25, rs.getDouble("F"));
                    assertEquals("héllo", rs.getString("V"));
                    assertArrayEquals(new byte[] {1, 2, 3}, rs.getBytes("BIN"));
                    assertEquals(Date.valueOf("2024-02-29"), rs.getDate("DT"));
                    assertEquals(Time.valueOf("12:34:56"), rs.getTime("TM"));
                    assertEquals(Timestamp.valueOf("2024-02-29 12:34:56.789"), rs.getTimestamp("TS"));
                    assertFalse(rs.next());
                }
            }
        }
    }

    @Test
    void timeAndTimestampLiteralsKeepTheirMilliseconds() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            exec(
                    c,
                    "CREATE TABLE times (k INT PRIMARY KEY, tm TIME, ts TIMESTAMP)",
                    "INSERT INTO times VALUES (1, TIME '01:02:03.456', TIMESTAMP '2024-02-03 04:05:06.789')",
                    "INSERT INTO times SELECT 2, TIME '07:08:09.012', TIMESTAMP '2024-02-03 04:05:06.001'"
                            + " FROM (VALUES (0))",
                    "UPDATE times SET ts = TIMESTAMP '2025-01-01 00:00:00.123' WHERE k = 2");
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT k, tm, ts FROM times ORDER BY k")) {
                assertTrue(rs.next());
                assertEquals(
                        Time.valueOf("01:02:03").getTime() + 456,
                        rs.getTime("TM").getTime());
                assertEquals(Timestamp.valueOf("2024-02-03 04:05:06.789"), rs.getTimestamp("TS"));
                assertTrue(rs.next());
                assertEquals(
                        Time.valueOf("07:08:09").getTime() + 12,
                        rs.getTime("TM").getTime());
                assertEquals(Timestamp.valueOf("2025-01-01 00:00:00.123"), rs.getTimestamp("TS"));
            }
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery("SELECT k FROM times WHERE ts = TIMESTAMP '2024-02-03 04:05:06.789'")) {
                assertTrue(rs.next(), "a literal with milliseconds finds its row");
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void defaultsFillOmittedColumns() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            exec(
                    c,
                    "CREATE TABLE d (id INT PRIMARY KEY, status VARCHAR(8) DEFAULT 'new', n INT NOT NULL DEFAULT 7,"
                            + " note VARCHAR(5))");
            exec(c, "INSERT INTO d (id) VALUES (1)");
            assertEquals("1,new,7,null", value(c, "SELECT * FROM d"));
            fails(c, "23502", "INSERT INTO d (id, n) VALUES (2, NULL)");
        }
    }

    @Test
    void connectionsToOnePathShareOneEngineAndTheLastCloseReleasesIt() throws SQLException {
        TestDb.assumeEngine();
        String url = "jdbc:strata:path=" + dir.resolve("db");
        Properties none = new Properties();
        try (Connection a = DriverManager.getConnection(url);
                Connection b = DriverManager.getConnection(url, none)) {
            exec(a, "CREATE TABLE shared (id INT PRIMARY KEY)");
            exec(a, "INSERT INTO shared VALUES (1)");
            assertEquals("1", value(b, "SELECT COUNT(*) FROM shared"));
            assertTrue(a.unwrap(StrataConnection.class).engine()
                    == b.unwrap(StrataConnection.class).engine());
            assertEquals(
                    2,
                    EngineRegistry.leases(ConnectionSession.config(
                            props("path", dir.resolve("db").toString()))));
        }
        assertEquals(
                0,
                EngineRegistry.leases(
                        ConnectionSession.config(props("path", dir.resolve("db").toString()))));
        try (Connection again = DriverManager.getConnection(url)) {
            assertEquals("1", value(again, "SELECT COUNT(*) FROM shared"), "committed data survives reopen");
        }
    }

    @Test
    void administrativeOperationsSucceedOrSayUnsupported() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            StrataConnection sc = c.unwrap(StrataConnection.class);
            try {
                assertTrue(sc.checkpoint().lsn() >= 0);
            } catch (SQLFeatureNotSupportedException e) {
                assertEquals("0A000", e.getSQLState());
            }
            sc.stepUp(); // already the leader: a no-op
            SQLException notFollower = assertThrows(SQLException.class, sc::pickUpCheckpoint);
            assertEquals("55000", notFollower.getSQLState(), notFollower.toString());
        }
    }

    @Test
    void dataSourceHasJavaBeanSetters() throws SQLException {
        TestDb.assumeEngine();
        StrataDataSource ds = new StrataDataSource();
        ds.setUrl(TestDb.newUrl());
        ds.setUser("sa");
        ds.setPassword("");
        DataSource plain = ds;
        try (Connection c = plain.getConnection()) {
            assertTrue(c.getAutoCommit());
            assertNull(c.getWarnings());
        }
    }

    @Test
    void connectionAndResultSetAccessorsAnswerOrSayUnsupported() throws Exception {
        TestDb.assumeEngine();
        java.util.Set<String> skip = java.util.Set.of(
                "close",
                "commit",
                "rollback",
                "abort",
                "beginRequest",
                "endRequest",
                "setSavepoint",
                "createStatement",
                "clearWarnings");
        List<String> broken = new java.util.ArrayList<>();
        try (Connection c = TestDb.connect()) {
            for (java.lang.reflect.Method m : Connection.class.getMethods()) {
                if (m.getParameterCount() == 0
                        && !skip.contains(m.getName())
                        && !m.getName().startsWith("create")) {
                    invoke(m, c, broken);
                }
            }
            exec(c, "CREATE TABLE r (id INT PRIMARY KEY, v VARCHAR(4))", "INSERT INTO r VALUES (1, 'a')");
            try (java.sql.Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT * FROM r")) {
                java.sql.ResultSetMetaData md = rs.getMetaData();
                for (java.lang.reflect.Method m : java.sql.ResultSetMetaData.class.getMethods()) {
                    if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == int.class) {
                        try {
                            m.invoke(md, 2);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            if (!(e.getCause() instanceof SQLFeatureNotSupportedException)) {
                                broken.add("ResultSetMetaData." + m.getName() + ": " + e.getCause());
                            }
                        }
                    }
                }
                assertEquals("V", md.getColumnName(2));
                assertEquals(java.sql.Types.VARCHAR, md.getColumnType(2));
            }
        }
        assertEquals(List.of(), broken);
    }

    private static void invoke(java.lang.reflect.Method m, Object target, List<String> broken) throws Exception {
        try {
            m.invoke(target);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (!(e.getCause() instanceof SQLFeatureNotSupportedException)) {
                broken.add(m.getName() + ": " + e.getCause());
            }
        }
    }

    private static Properties props(String k, String v) {
        Properties p = new Properties();
        p.setProperty(k, v);
        return p;
    }
}
