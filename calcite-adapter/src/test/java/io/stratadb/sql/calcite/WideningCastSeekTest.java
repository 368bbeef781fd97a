package io.stratadb.sql.calcite;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SMALLINT and INTEGER keys compared with values of a wider integer type, which Calcite presents as {@code
 * CAST(id AS INTEGER) = 3}: they are seeks (EXPLAIN), values outside the key's range give no rows or no bound
 * (never an error, never a wrong seek), and the rows are those of the same condition on a non-key copy of the
 * key. Also {@code COUNT(*)}, which reads no column. Seeded: rerun with {@code -Dseed=}.
 */
class WideningCastSeekTest {
    private final long seed = Long.getLong("seed", System.nanoTime());

    private static String explain(Connection c, String sql) throws SQLException {
        return String.join("\n", rows(c, "EXPLAIN PLAN FOR " + sql));
    }

    private static Connection withTables() throws SQLException {
        TestDb.assumeEngine();
        Connection c = TestDb.connect();
        exec(
                c,
                "CREATE TABLE small (id SMALLINT PRIMARY KEY, k SMALLINT, v VARCHAR(10))",
                "CREATE TABLE mid (id INTEGER PRIMARY KEY, k INTEGER, v VARCHAR(10))");
        for (String t : List.of("small", "mid")) {
            for (int i = -40; i <= 40; i += 2) {
                long key = t.equals("small") ? i * 800L : i * 50_000_000L; // near both ends of the type's range
                exec(c, "INSERT INTO " + t + " VALUES (" + key + ", " + key + ", 'v" + i + "')");
            }
        }
        return c;
    }

    @Test
    void widenedKeyComparisonsAreSeeksWithNoFilterLeft() throws SQLException {
        try (Connection c = withTables()) {
            String eq = explain(c, "SELECT v FROM small WHERE id = 800");
            assertTrue(eq.contains("access=[POINT(ID)]"), eq);
            assertTrue(eq.contains("exact=[[=(CAST($0):INTEGER NOT NULL, 800)]]"), eq);
            assertFalse(eq.contains("Calc"), "the seek applies the comparison exactly: " + eq);
            String range = explain(c, "SELECT v FROM small WHERE id BETWEEN 1 AND 2000");
            assertTrue(range.contains("access=[RANGE(ID)]"), range);
            assertFalse(range.contains("Calc"), range);
            String in = explain(c, "SELECT v FROM small WHERE id IN (800, 1600)");
            assertTrue(in.contains("access=[POINT(ID)]"), in);
            String big = explain(c, "SELECT v FROM mid WHERE id = 10000000000");
            assertTrue(big.contains("access=[POINT(ID)]"), big);
            String explicit =
                    explain(c, "SELECT v FROM small WHERE CAST(id AS BIGINT) >= ? AND CAST(id AS BIGINT) < ?");
            assertTrue(explicit.contains("access=[RANGE(ID)]"), explicit);
            assertFalse(explicit.contains("Calc"), "a parameter of the cast's type is applied exactly: " + explicit);
            String narrowing = explain(c, "SELECT v FROM mid WHERE CAST(id AS SMALLINT) = 3");
            assertTrue(narrowing.contains("access=[FULL]"), "a narrowing cast is not a seek: " + narrowing);
        }
    }

    @Test
    void outOfRangeValuesGiveNoRowsOrNoBoundNeverAnError() throws SQLException {
        try (Connection c = withTables()) {
            long empty = StrataTable.accesses(AccessPath.Kind.EMPTY);
            assertEquals(List.of(), rows(c, "SELECT v FROM small WHERE id = 100000"));
            assertEquals(List.of(), rows(c, "SELECT v FROM small WHERE id > 40000"));
            assertEquals(List.of(), rows(c, "SELECT v FROM mid WHERE id = 10000000000"));
            assertEquals(List.of(), rows(c, "SELECT v FROM mid WHERE id < -3000000000"));
            assertTrue(
                    StrataTable.accesses(AccessPath.Kind.EMPTY) >= empty + 4,
                    "out-of-range comparisons read nothing (empty access)");
            assertEquals(
                    "41",
                    rows(c, "SELECT COUNT(*) FROM small WHERE id < 100000").get(0));
            assertEquals(
                    "41",
                    rows(c, "SELECT COUNT(*) FROM mid WHERE id > -10000000000").get(0));
            assertEquals(
                    List.of("v-40", "v-38"),
                    rows(c, "SELECT v FROM small WHERE id BETWEEN -100000 AND -30400 ORDER BY id"));
            assertEquals(List.of("v40"), rows(c, "SELECT v FROM small WHERE id IN (32000, 70000, -70000)"));
        }
    }

    /** Random literal and parameter comparisons, in and out of the key's range, against a non-key copy. */
    @Test
    void widenedComparisonsSelectWhatCalciteSelectsOnACopy() throws SQLException {
        Random rnd = new Random(seed);
        String[] shapes = {
            "%s = %v",
            "%s < %v",
            "%s <= %v",
            "%s > %v",
            "%s >= %v",
            "%s BETWEEN %v AND %w",
            "%s IN (%v, %w)",
            "%s >= %v AND %s < %w"
        };
        try (Connection c = withTables()) {
            for (int round = 0; round < 25; round++) {
                String table = rnd.nextBoolean() ? "small" : "mid";
                long scale = table.equals("small") ? 800 : 50_000_000L;
                long v = (rnd.nextInt(100) - 50) * scale + (rnd.nextInt(3) - 1) * (rnd.nextBoolean() ? 1 : scale);
                long w = v + rnd.nextInt(30) * scale;
                String shape = shapes[rnd.nextInt(shapes.length)];
                // a BIGINT-typed value: Calcite widens the key column to compare
                String lv = "CAST(" + v + " AS BIGINT)";
                String lw = "CAST(" + w + " AS BIGINT)";
                String byKey = "SELECT id FROM " + table + " WHERE "
                        + shape.replace("%s", "id").replace("%v", lv).replace("%w", lw) + " ORDER BY id";
                String byCopy = "SELECT id FROM " + table + " WHERE "
                        + shape.replace("%s", "k").replace("%v", lv).replace("%w", lw) + " ORDER BY id";
                String what = "seed " + seed + ": " + byKey;
                assertEquals(rows(c, byCopy), rows(c, byKey), what);
                if (!shape.contains("IN")) {
                    String p = shape.replace("%v", "?").replace("%w", "?");
                    try (PreparedStatement key = c.prepareStatement("SELECT id FROM " + table + " WHERE "
                                    + p.replace("%s", "CAST(id AS BIGINT)") + " ORDER BY id");
                            PreparedStatement copy = c.prepareStatement("SELECT id FROM " + table + " WHERE "
                                    + p.replace("%s", "CAST(k AS BIGINT)") + " ORDER BY id")) {
                        assertEquals(run(copy, v, w), run(key, v, w), what + " (parameters)");
                    }
                }
            }
        }
    }

    private static List<String> run(PreparedStatement ps, long v, long w) throws SQLException {
        int n = ps.getParameterMetaData().getParameterCount();
        for (int i = 1; i <= n; i++) {
            ps.setLong(i, i == 1 ? v : w);
        }
        try (ResultSet rs = ps.executeQuery()) {
            return TestDb.rows(rs);
        }
    }

    @Test
    void countStarReadsNoColumn() throws SQLException {
        try (Connection c = withTables()) {
            String all = explain(c, "SELECT COUNT(*) FROM mid");
            assertTrue(all.contains("projects=[[]]"), "no column is decoded: " + all);
            String range = explain(c, "SELECT COUNT(*) FROM mid WHERE id >= ? AND id < ?");
            assertTrue(range.contains("projects=[[]]") && range.contains("access=[RANGE(ID)]"), range);
            assertEquals("41", rows(c, "SELECT COUNT(*) FROM mid").get(0));
            assertEquals(
                    "5",
                    rows(c, "SELECT COUNT(*) FROM mid WHERE id BETWEEN 0 AND 400000000")
                            .get(0));
            assertEquals("0", rows(c, "SELECT COUNT(*) FROM mid WHERE id = 1").get(0));
            assertEquals(
                    "41,41,1",
                    rows(c, "SELECT COUNT(*), COUNT(v), COUNT(DISTINCT MOD(k, 10)) FROM mid")
                            .get(0));
            c.setAutoCommit(false);
            exec(c, "DELETE FROM mid WHERE id < 0");
            assertEquals("21", rows(c, "SELECT COUNT(*) FROM mid").get(0), "the transaction's own deletes count");
            c.rollback();
            assertEquals("41", rows(c, "SELECT COUNT(*) FROM mid").get(0));
        }
    }
}
