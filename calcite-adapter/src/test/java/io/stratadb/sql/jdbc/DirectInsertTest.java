package io.stratadb.sql.jdbc;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The direct single-row INSERT path ({@link DirectInsert}) against the general path through Calcite's plan: the
 * same counts, the same errors (SQLSTATE and message) and the same table afterwards, in auto-commit and in a
 * transaction.
 */
class DirectInsertTest {
    private static final String INSERT = "INSERT INTO t VALUES (?, ?, ?, ?, ?)";

    /** What one statement did: its count, or its SQLSTATE and message. */
    private interface Step {
        void run(PreparedStatement ps, int offset) throws SQLException;
    }

    private static void set(PreparedStatement ps, long k, int i, boolean b, double d, String v) throws SQLException {
        ps.setLong(1, k);
        ps.setInt(2, i);
        ps.setBoolean(3, b);
        ps.setDouble(4, d);
        ps.setString(5, v);
    }

    private static List<Step> steps() {
        return List.of(
                (ps, o) -> set(ps, o + 1, 10, true, 1.5, "abc"),
                (ps, o) -> set(ps, o + 2, 20, false, -2.25, ""),
                (ps, o) -> set(ps, o + 1, 30, true, 0, "dup"), // duplicate key
                (ps, o) -> {
                    set(ps, o + 3, 0, true, 0, "x");
                    ps.setNull(2, Types.INTEGER); // NOT NULL column
                },
                (ps, o) -> set(ps, o + 4, 40, true, 0, "toolong"), // longer than VARCHAR(5)
                (ps, o) -> {
                    set(ps, o + 0, 50, true, 0, "int");
                    ps.setInt(1, o + 5); // an Integer for the BIGINT key: Calcite converts it
                },
                (ps, o) -> {
                    set(ps, o + 6, 0, true, 0, "str");
                    ps.setString(2, "60"); // a string for the INTEGER column
                },
                (ps, o) -> {
                    set(ps, o + 7, 0, true, 0, "bad");
                    ps.setString(2, "seven"); // not a number
                });
    }

    /** Runs every step in auto-commit, then again in one transaction, and returns outcomes and the final table. */
    private static List<String> run(boolean direct) throws SQLException {
        String before = System.getProperty("strata.sql.direct");
        System.setProperty("strata.sql.direct", Boolean.toString(direct));
        List<String> out = new ArrayList<>();
        try (Connection c = TestDb.connect()) {
            exec(c, "CREATE TABLE t (k BIGINT PRIMARY KEY, i INTEGER NOT NULL, b BOOLEAN, d DOUBLE, v VARCHAR(5))");
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (int round = 0; round < 2; round++) {
                    c.setAutoCommit(round == 0);
                    for (Step s : steps()) {
                        s.run(ps, round * 100);
                        try {
                            out.add("count " + ps.executeUpdate());
                        } catch (SQLException e) {
                            out.add(e.getSQLState() + " " + e.getMessage());
                        }
                    }
                    if (round == 1) {
                        c.commit();
                    }
                }
            }
            out.addAll(rows(c, "SELECT * FROM t ORDER BY k"));
        } finally {
            if (before == null) {
                System.clearProperty("strata.sql.direct");
            } else {
                System.setProperty("strata.sql.direct", before);
            }
        }
        return out;
    }

    @Test
    void directAndGeneralPathsAgreeOnCountsErrorsAndRows() throws SQLException {
        TestDb.assumeEngine();
        long before = DirectInsert.executions();
        List<String> general = run(false);
        assertEquals(before, DirectInsert.executions(), "the general path never takes the direct one");
        List<String> direct = run(true);
        assertTrue(DirectInsert.executions() - before >= 4, "the direct path served the plain rows");
        assertEquals(general, direct);
        assertTrue(general.stream().anyMatch(s -> s.startsWith("23505")), general.toString());
        assertTrue(general.stream().anyMatch(s -> s.startsWith("23502")), general.toString());
        assertTrue(general.contains("count 1"), general.toString());
    }
}
