package io.stratadb.sql.calcite;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.testing.TestDb;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Filters and projections pushed into {@link StrataTableScan}: the plans (key conditions the seek applies exactly
 * leave the Filter; only the needed columns are read) and, above all, the rows, compared with the same query on a
 * copy of the key that no seek can use, so Calcite evaluates it over full rows. Seeded: rerun with {@code
 * -Dseed=}.
 */
class StrataScanRulesTest {
    private final long seed = Long.getLong("seed", System.nanoTime());
    private final Random rnd = new Random(seed);

    private static String explain(Connection c, String sql) throws SQLException {
        return String.join("\n", rows(c, "EXPLAIN PLAN FOR " + sql));
    }

    private static Connection withTables() throws SQLException {
        TestDb.assumeEngine();
        Connection c = TestDb.connect();
        exec(
                c,
                "CREATE TABLE t (id BIGINT PRIMARY KEY, k BIGINT, b BOOLEAN, s SMALLINT, i INTEGER, d DECIMAL(12, 3),"
                        + " f DOUBLE, v VARCHAR(40), x VARBINARY(16), dt DATE, tm TIME, ts TIMESTAMP)",
                "CREATE TABLE named (name VARCHAR(10) PRIMARY KEY, n INTEGER)",
                "CREATE TABLE small (id SMALLINT PRIMARY KEY, k SMALLINT)",
                "CREATE TABLE mid (id INTEGER PRIMARY KEY, k INTEGER)");
        return c;
    }

    @Test
    void keyConditionsTheSeekAppliesLeaveNoFilterAndOnlyTheNeededColumnsAreRead() throws SQLException {
        try (Connection c = withTables()) {
            String range = explain(c, "SELECT i, v FROM t WHERE id BETWEEN ? AND ?");
            assertFalse(range.contains("Calc"), "no Filter and no Project above the scan: " + range);
            assertTrue(range.contains("exact=[[>=($0, ?0), <=($0, ?1)]], projects=[[4, 7]]"), range);
            String ids = explain(c, "SELECT id FROM t WHERE id >= ? AND id < ?");
            assertFalse(ids.contains("Calc"), ids);
            assertTrue(ids.contains("projects=[[0]]"), ids);
            String count = explain(c, "SELECT COUNT(*) FROM t WHERE id BETWEEN ? AND ?");
            assertFalse(count.contains("Calc"), count);
            assertTrue(count.contains("projects=[[]]"), "COUNT(*) decodes no column: " + count);
            String literal = explain(c, "SELECT v FROM t WHERE id BETWEEN 3 AND 7");
            assertFalse(literal.contains("Calc"), literal);
            String residual = explain(c, "SELECT i FROM t WHERE id BETWEEN ? AND ? AND v = 'x'");
            assertTrue(residual.contains("$condition"), "the non-key condition is still checked: " + residual);
            assertTrue(residual.contains("exact=[[>=($0, ?0), <=($0, ?1)]], projects=[[4, 7]]"), residual);
            String strings = explain(c, "SELECT n FROM named WHERE name >= ?");
            assertTrue(strings.contains("$condition"), "string keys keep Calcite's comparison: " + strings);
            assertTrue(strings.contains("access=[RANGE(NAME)]"), strings);
            String twice = explain(c, "SELECT k FROM t WHERE id = ? AND id = ?");
            assertTrue(twice.contains("$condition"), "the seek applies one equality, Calcite the other: " + twice);
        }
    }

    private @Nullable Object maybeNull(Object v) {
        return rnd.nextInt(5) == 0 ? null : v;
    }

    private void load(Connection c, int rows) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (long id = 0; id < rows; id++) {
                byte[] bin = new byte[rnd.nextInt(17)];
                rnd.nextBytes(bin);
                Object[] values = {
                    id,
                    id,
                    maybeNull(rnd.nextBoolean()),
                    maybeNull((short) (rnd.nextInt(65536) - 32768)),
                    maybeNull(rnd.nextInt()),
                    maybeNull(BigDecimal.valueOf(rnd.nextInt(2_000_000_000) - 1_000_000_000L, 3)),
                    maybeNull(rnd.nextDouble() * 1e6),
                    maybeNull("v" + rnd.nextInt(1_000_000) + "é"),
                    maybeNull(bin),
                    maybeNull(new Date(rnd.nextInt(20_000) * 86_400_000L)),
                    maybeNull(new Time(rnd.nextInt(86_400) * 1000L)),
                    maybeNull(new Timestamp(rnd.nextLong() % 4_000_000_000_000L))
                };
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i]);
                }
                ps.executeUpdate();
            }
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static List<String> run(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
            return TestDb.rows(rs);
        }
    }

    /**
     * Random ranges and column lists over every column type: the seek with projected decoding returns what
     * Calcite returns filtering full rows on a non-key copy of the key.
     */
    @Test
    void rangeScansReturnWhatCalciteReturnsOverFullRows() throws SQLException {
        String[] cols = {"id", "b", "s", "i", "d", "f", "v", "x", "dt", "tm", "ts"};
        try (Connection c = withTables()) {
            load(c, 400);
            exec(c, "DELETE FROM t WHERE MOD(id, 7) = 3", "UPDATE t SET v = 'upd' WHERE MOD(id, 5) = 1");
            for (int round = 0; round < 30; round++) {
                List<String> pick = new ArrayList<>();
                for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
                    pick.add(cols[rnd.nextInt(cols.length)]);
                }
                String select = String.join(", ", pick);
                String[] shapes = {"BETWEEN ? AND ?", ">= ? AND %s < ?", "> ? AND %s <= ?"};
                String shape = shapes[rnd.nextInt(shapes.length)];
                long lo = rnd.nextInt(420) - 10L;
                long hi = lo + rnd.nextInt(120) - 10L;
                String what = "seed " + seed + ": SELECT " + select + " ... " + shape + " with " + lo + ", " + hi;
                try (PreparedStatement byKey = c.prepareStatement(
                                "SELECT " + select + " FROM t WHERE id " + shape.replace("%s", "id"));
                        PreparedStatement byCopy = c.prepareStatement(
                                "SELECT " + select + " FROM t WHERE k " + shape.replace("%s", "k") + " ORDER BY t.k")) {
                    assertEquals(run(byCopy, lo, hi), run(byKey, lo, hi), what);
                }
                try (PreparedStatement count =
                                c.prepareStatement("SELECT COUNT(*) FROM t WHERE id " + shape.replace("%s", "id"));
                        PreparedStatement countCopy =
                                c.prepareStatement("SELECT COUNT(*) FROM t WHERE k " + shape.replace("%s", "k"))) {
                    assertEquals(run(countCopy, lo, hi), run(count, lo, hi), what + " (COUNT)");
                }
            }
            try (PreparedStatement upd = c.prepareStatement("UPDATE t SET i = 7 WHERE id BETWEEN ? AND ?");
                    PreparedStatement del = c.prepareStatement("DELETE FROM t WHERE id >= ? AND id < ?")) {
                upd.setLong(1, 10);
                upd.setLong(2, 19);
                assertEquals(
                        rows(c, "SELECT COUNT(*) FROM t WHERE k BETWEEN 10 AND 19")
                                .get(0),
                        String.valueOf(upd.executeUpdate()));
                assertEquals(List.of("7"), rows(c, "SELECT DISTINCT i FROM t WHERE k BETWEEN 10 AND 19"));
                del.setLong(1, 10);
                del.setLong(2, 15);
                long before = Long.parseLong(rows(c, "SELECT COUNT(*) FROM t").get(0));
                List<String> kept = rows(c, "SELECT id FROM t WHERE k BETWEEN 15 AND 18");
                int deleted = del.executeUpdate();
                assertEquals(
                        before - deleted,
                        Long.parseLong(rows(c, "SELECT COUNT(*) FROM t").get(0)));
                assertEquals(kept, rows(c, "SELECT id FROM t WHERE k BETWEEN 10 AND 18"));
            }
        }
    }

    /**
     * A parameter that is not exactly a value of the key's type selects the rows Calcite's own comparison selects
     * (Calcite narrows it like {@code Number.longValue()}), for SMALLINT, INTEGER and BIGINT keys; a value that
     * is not a number fails with 22018.
     */
    @Test
    void oddParameterValuesSelectWhatCalciteSelects() throws SQLException {
        Object[] odd = {
            1.5,
            -1.5,
            2.0f,
            new BigDecimal("2.7"),
            4294967298L,
            65538,
            (short) 2,
            (byte) 3,
            Long.MAX_VALUE,
            1e30,
            Double.NaN,
            -40000
        };
        try (Connection c = withTables()) {
            for (String table : List.of("t", "mid", "small")) {
                for (int i = -5; i <= 5; i++) {
                    exec(
                            c,
                            table.equals("t")
                                    ? "INSERT INTO t (id, k) VALUES (" + i + ", " + i + ")"
                                    : "INSERT INTO " + table + " VALUES (" + i + ", " + i + ")");
                }
                for (String shape : List.of("%s >= ? AND %s < 4", "%s = ?", "%s < ?", "%s BETWEEN -2 AND ?")) {
                    try (PreparedStatement byKey = c.prepareStatement(
                                    "SELECT id FROM " + table + " WHERE " + shape.replace("%s", "id"));
                            PreparedStatement byCopy = c.prepareStatement("SELECT id FROM " + table + " WHERE "
                                    + shape.replace("%s", "k") + " ORDER BY id")) {
                        for (Object v : odd) {
                            assertEquals(
                                    run(byCopy, v),
                                    run(byKey, v),
                                    table + " " + shape + " with " + v + " ("
                                            + v.getClass().getSimpleName() + ")");
                        }
                        byKey.setNull(1, Types.BIGINT);
                        try (ResultSet rs = byKey.executeQuery()) {
                            assertFalse(rs.next(), "a comparison with NULL selects nothing");
                        }
                        byKey.setString(1, "3");
                        SQLException e = org.junit.jupiter.api.Assertions.assertThrows(
                                SQLException.class, () -> byKey.executeQuery().close());
                        String plan = explain(c, "SELECT id FROM " + table + " WHERE " + shape.replace("%s", "id"));
                        if (plan.matches("(?s).*exact=\\[\\[[^\\n]*\\?0.*")) {
                            // the seek reads the parameter (Calcite's own comparison fails with XX000)
                            assertEquals("22018", e.getSQLState(), table + " " + shape + ": " + e.getMessage());
                            assertTrue(String.valueOf(e.getMessage()).contains(".ID"), "names the column: " + e);
                        }
                    }
                }
            }
        }
    }
}
