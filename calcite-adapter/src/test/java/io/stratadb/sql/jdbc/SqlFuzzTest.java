package io.stratadb.sql.jdbc;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stratadb.sql.testing.TestDb;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and malformed SQL thrown at the driver: every failure is a SQLException with a SQLSTATE (and not an
 * internal error), and the data of a failed statement's table is unchanged. Run with {@code -Dseed=N} to repeat.
 */
class SqlFuzzTest {
    private static final String[] FRAGMENTS = {
        "SELECT",
        "INSERT INTO",
        "UPDATE",
        "DELETE FROM",
        "CREATE TABLE",
        "DROP TABLE",
        "CALL",
        "VALUES",
        "FROM",
        "WHERE",
        "SET",
        "t",
        "sys.node",
        "sys.tables",
        "nosuch",
        "id",
        "v",
        "(",
        ")",
        ",",
        "*",
        "=",
        "<",
        "+",
        "/",
        "1",
        "0",
        "-1",
        "99999999999999999999",
        "'x'",
        "''",
        "'it''s'",
        "NULL",
        "?",
        ";",
        "AND",
        "OR",
        "NOT",
        "GROUP BY",
        "ORDER BY",
        "LIMIT",
        "JOIN",
        "ON",
        "PRIMARY KEY",
        "INT",
        "VARCHAR(2)",
        "\"",
        "--",
        "/*",
        "CAST(",
        "AS",
        "1e400",
        "x'zz'",
        "DATE 'x'",
        "COUNT(*)",
        "SUM(v)",
        "SYS.CHECKPOINT()",
        "UNION"
    };

    private static final List<String> SHAPED = List.of(
            "INSERT INTO t VALUES (1, 'dup')",
            "INSERT INTO t VALUES (100, 'way too long')",
            "INSERT INTO t VALUES (NULL, 'n')",
            "INSERT INTO t VALUES ('abc', 'x')",
            "UPDATE t SET id = 1",
            "UPDATE t SET v = 1 / 0",
            "UPDATE t SET id = id / 0",
            "DELETE FROM t WHERE id = 1 / 0",
            "SELECT * FROM t WHERE id = 'abc'",
            "SELECT 1 / 0",
            "SELECT CAST('x' AS INTEGER)",
            "INSERT INTO t SELECT * FROM t",
            "INSERT INTO sys.node SELECT * FROM sys.node",
            "UPDATE t SET nosuch = 1",
            "SELECT nosuch FROM t",
            "SELECT * FROM nosuch",
            "CREATE TABLE t (id INT PRIMARY KEY)",
            "CREATE TABLE x (id INT)",
            "CREATE TABLE x (id INT PRIMARY KEY, id INT)",
            "MERGE INTO t USING t s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = 'z'",
            "SELECT * FROM t FOR UPDATE",
            "CREATE VIEW vv AS SELECT * FROM t",
            "",
            ";",
            "SELECT",
            "INSERT INTO t (id) VALUES (5)");

    @Test
    void randomAndMalformedSqlFailsCleanlyAndChangesNothing() throws SQLException {
        TestDb.assumeEngine();
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        try (Connection c = TestDb.connect()) {
            exec(c, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(3) NOT NULL)");
            exec(c, "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            List<String> before = rows(c, "SELECT * FROM t ORDER BY id");
            int failures = 0;
            for (int i = 0; i < 250; i++) {
                String sql = i < SHAPED.size() ? SHAPED.get(i) : randomSql(rnd);
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                    if (!rows(c, "SELECT * FROM t ORDER BY id").equals(before)) {
                        // A statement that succeeded may legitimately change t; restore it.
                        exec(c, "DELETE FROM t", "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
                    }
                    exec(c, "DROP TABLE IF EXISTS x");
                } catch (SQLException e) {
                    failures++;
                    String state = e.getSQLState();
                    assertNotNull(state, "seed " + seed + ": no SQLSTATE for [" + sql + "]: " + e);
                    assertEquals(5, state.length(), "seed " + seed + ": [" + sql + "]: " + e);
                    if (state.startsWith("XX")) {
                        fail("seed " + seed + ": internal error for [" + sql + "]: " + e, e);
                    }
                    String msg = String.valueOf(e.getMessage());
                    assertTrue(!msg.isBlank() && !msg.equals("null"), "seed " + seed + ": empty message for " + sql);
                    assertEquals(
                            before,
                            rows(c, "SELECT * FROM t ORDER BY id"),
                            "seed " + seed + ": failed statement changed data: " + sql);
                }
            }
            assertTrue(failures > 100, "seed " + seed + ": most random statements should fail, got " + failures);
        }
    }

    private static String randomSql(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(FRAGMENTS[rnd.nextInt(FRAGMENTS.length)]).append(' ');
        }
        if (rnd.nextInt(4) == 0 && sb.length() > 2) {
            sb.setLength(rnd.nextInt(sb.length()));
        }
        return sb.toString();
    }
}
