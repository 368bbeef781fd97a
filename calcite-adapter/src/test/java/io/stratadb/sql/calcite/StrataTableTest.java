package io.stratadb.sql.calcite;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.rows;
import static io.stratadb.sql.testing.TestDb.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.jdbc.StrataPrepare;
import io.stratadb.sql.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Queries over {@link StrataTable}: pushdown, prepared plans, and Calcite's joins, aggregates and sorting. */
class StrataTableTest {
    private static Connection withData() throws SQLException {
        TestDb.assumeEngine();
        Connection c = TestDb.connect();
        exec(c, "CREATE TABLE cust (id INT PRIMARY KEY, name VARCHAR(10), city VARCHAR(10))");
        exec(c, "CREATE TABLE ord (cid INT, seq INT, amount INT, PRIMARY KEY (cid, seq))");
        exec(c, "INSERT INTO cust VALUES (1, 'ann', 'oslo'), (2, 'bob', 'rome'), (3, 'cy', 'oslo')");
        exec(c, "INSERT INTO ord VALUES (1, 1, 10), (1, 2, 15), (2, 1, 7), (3, 1, 1), (3, 2, 2), (3, 3, 3)");
        return c;
    }

    private static String explain(Connection c, String sql) throws SQLException {
        return String.join("\n", rows(c, "EXPLAIN PLAN FOR " + sql));
    }

    @Test
    void keyPredicatesArePushedIntoTheScan() throws SQLException {
        try (Connection c = withData()) {
            String point = explain(c, "SELECT name FROM cust WHERE id = 2");
            assertTrue(
                    point.contains("StrataTableScan(table=[[PUBLIC, CUST]], filters=[[=($0, 2)]], exact=[[=($0, 2)]],"
                            + " projects=[[1]], access=[POINT(ID)])"),
                    point);
            assertTrue(!point.contains("Calc"), "the seek applies the key condition, nothing re-checks it: " + point);
            assertTrue(!point.contains("Interpreter"), "compiled, not interpreted: " + point);
            String range = explain(c, "SELECT * FROM ord WHERE cid = 3 AND seq >= 2");
            assertTrue(
                    range.contains(
                            "filters=[[=($0, 3), >=($1, 2)]], exact=[[=($0, 3), >=($1, 2)]], access=[RANGE(CID, SEQ)]"),
                    range);
            String full = explain(c, "SELECT * FROM ord WHERE seq = 1");
            assertTrue(full.contains("access=[FULL]"), full);
            String projected = explain(c, "SELECT name FROM cust");
            assertTrue(projected.contains("projects=[[1]]"), projected);
            long ranges = StrataTable.accesses(AccessPath.Kind.RANGES);
            assertEquals(List.of("3,2,2", "3,3,3"), rows(c, "SELECT * FROM ord WHERE cid = 3 AND seq >= 2"));
            assertEquals(ranges + 1, StrataTable.accesses(AccessPath.Kind.RANGES), "a key-range seek");
            assertEquals(List.of("bob"), rows(c, "SELECT name FROM cust WHERE id = 2"));
            assertEquals(List.of("1", "3"), rows(c, "SELECT id FROM cust WHERE id IN (1, 3, 7) ORDER BY id"));
            assertEquals(List.of("2", "3"), rows(c, "SELECT id FROM cust WHERE id BETWEEN 2 AND 9 ORDER BY id"));
            assertEquals(List.of(), rows(c, "SELECT id FROM cust WHERE id > 3 AND id < 2"));
        }
    }

    @Test
    void preparedParametersArePushedAndThePlanIsBuiltOnce() throws SQLException {
        try (Connection c = withData()) {
            String plan = explain(c, "SELECT name FROM cust WHERE id = ?");
            assertTrue(
                    plan.contains("filters=[[=($0, ?0)]], exact=[[=($0, ?0)]], projects=[[1]], access=[POINT(ID)]"),
                    plan);
            long before = StrataPrepare.prepares();
            long points = StrataTable.accesses(AccessPath.Kind.POINTS);
            long full = StrataTable.accesses(AccessPath.Kind.FULL);
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM cust WHERE id = ?")) {
                for (int round = 0; round < 3; round++) {
                    for (int id = 1; id <= 3; id++) {
                        ps.setInt(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            assertEquals(List.of(List.of("ann", "bob", "cy").get(id - 1)), TestDb.rows(rs));
                        }
                    }
                }
            }
            assertEquals(1, StrataPrepare.prepares() - before, "nine executions, one plan");
            assertEquals(9, StrataTable.accesses(AccessPath.Kind.POINTS) - points, "each execution is a point look-up");
            assertEquals(full, StrataTable.accesses(AccessPath.Kind.FULL), "and never a full scan");
        }
    }

    /**
     * A prepared statement's parameters (null included) and Calcite's built-in variables resolve in every
     * execution, though the connection builds the built-ins only for statements that read them.
     */
    @Test
    void parametersAndBuiltInVariablesResolveInEachExecution() throws SQLException {
        try (Connection c = withData();
                PreparedStatement withBuiltIns =
                        c.prepareStatement("SELECT name, CURRENT_TIMESTAMP, CURRENT_USER FROM cust WHERE id = ?");
                PreparedStatement byCity = c.prepareStatement("SELECT COUNT(*) FROM cust WHERE city = ?")) {
            for (int id = 1; id <= 2; id++) {
                withBuiltIns.setInt(1, id);
                try (ResultSet rs = withBuiltIns.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(List.of("ann", "bob").get(id - 1), rs.getString(1));
                    assertNotNull(rs.getTimestamp(2), "CURRENT_TIMESTAMP");
                    assertEquals("sa", rs.getString(3));
                }
            }
            byCity.setString(1, "oslo");
            assertEquals(List.of("2"), TestDb.rows(byCity.executeQuery()));
            byCity.setNull(1, Types.VARCHAR);
            assertEquals(List.of("0"), TestDb.rows(byCity.executeQuery()));
        }
    }

    @Test
    void joinsAggregatesOrderingAndLimitRunInCalcite() throws SQLException {
        try (Connection c = withData()) {
            assertEquals(
                    List.of("ann,25", "bob,7", "cy,6"),
                    rows(
                            c,
                            "SELECT c.name, SUM(o.amount) FROM cust c JOIN ord o ON o.cid = c.id"
                                    + " GROUP BY c.name ORDER BY c.name"));
            assertEquals(
                    List.of("oslo,2", "rome,1"),
                    rows(c, "SELECT city, COUNT(*) FROM cust GROUP BY city ORDER BY city"));
            assertEquals(List.of("1,2", "1,1"), rows(c, "SELECT cid, seq FROM ord ORDER BY amount DESC LIMIT 2"));
            assertEquals("38", value(c, "SELECT SUM(amount) FROM ord WHERE cid IN (SELECT id FROM cust)"));
        }
    }
}
