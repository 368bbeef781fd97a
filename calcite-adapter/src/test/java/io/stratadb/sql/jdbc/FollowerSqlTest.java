package io.stratadb.sql.jdbc;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of one database reached through {@code jdbc:strata:}, each with its own directory and a shared
 * page log: follower reads, refused writes (25006), SYS.NODE, and the role procedures from SQL.
 */
class FollowerSqlTest {
    @TempDir
    Path dir;

    private String url(String node, String role) {
        return "jdbc:strata:path=" + dir.resolve(node) + ";pagelog=file:" + dir.resolve("pagelog") + ";role=" + role
                + ";node=" + node;
    }

    /**
     * Polls until {@code sql} returns {@code want}: the follower applies the log in the background, so a table the
     * leader just created may not exist there yet (an error that means "not yet" until the deadline).
     */
    private static void eventually(Connection c, String sql, List<String> want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                List<String> got = rows(c, sql);
                if (got.equals(want) || System.nanoTime() >= deadline) {
                    assertEquals(want, got, sql);
                    return;
                }
            } catch (SQLException notYet) {
                if (System.nanoTime() >= deadline) {
                    throw notYet;
                }
            }
            Thread.sleep(5);
        }
    }

    @Test
    void followerReadsRefusesWritesAndTakesOverThroughSysProcedures() throws Exception {
        try (Connection leader = DriverManager.getConnection(url("a", "leader"));
                Connection follower = DriverManager.getConnection(url("b", "follower"))) {
            exec(leader, "CREATE TABLE acct (id INTEGER PRIMARY KEY, owner VARCHAR(20), balance BIGINT)");
            exec(leader, "INSERT INTO acct VALUES (1, 'ann', 100), (2, 'bob', 50)");
            eventually(follower, "SELECT id, owner, balance FROM acct ORDER BY id", List.of("1,ann,100", "2,bob,50"));
            assertEquals(List.of("b,FOLLOWER,a"), rows(follower, "SELECT node_id, role, leader FROM sys.node"));

            SQLException w =
                    assertThrows(SQLException.class, () -> exec(follower, "INSERT INTO acct VALUES (3, 'x', 1)"));
            assertEquals("25006", w.getSQLState());
            assertTrue(String.valueOf(w.getMessage()).contains("leader (a)"), w.getMessage());
            SQLException ddl =
                    assertThrows(SQLException.class, () -> exec(follower, "CREATE TABLE t2 (k INTEGER PRIMARY KEY)"));
            assertEquals("25006", ddl.getSQLState());

            exec(leader, "CALL SYS.CHECKPOINT()");
            exec(follower, "CALL SYS.PICK_UP_CHECKPOINT()");
            exec(leader, "UPDATE acct SET balance = balance - 10 WHERE id = 1");
            eventually(follower, "SELECT balance FROM acct WHERE id = 1", List.of("90"));

            exec(leader, "CALL SYS.STEP_DOWN()");
            exec(follower, "CALL SYS.STEP_UP()");
            assertEquals(List.of("LEADER"), rows(follower, "SELECT role FROM sys.node"));
            assertEquals(List.of("FOLLOWER"), rows(leader, "SELECT role FROM sys.node"));
            exec(follower, "INSERT INTO acct VALUES (3, 'cy', 7)");
            exec(follower, "CREATE TABLE later (k INTEGER PRIMARY KEY)");
            eventually(leader, "SELECT id, balance FROM acct ORDER BY id", List.of("1,90", "2,50", "3,7"));
            eventually(leader, "SELECT COUNT(*) FROM later", List.of("0"));
            SQLException old = assertThrows(SQLException.class, () -> exec(leader, "DELETE FROM acct"));
            assertEquals("25006", old.getSQLState());
        }
    }
}
