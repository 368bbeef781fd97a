package io.stratadb.sql.calcite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.KeyRange;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class KeyRangePlannerTest {
    private static final JavaTypeFactoryImpl TYPES = new JavaTypeFactoryImpl();
    private static final RexBuilder REX = new RexBuilder(TYPES);

    /** T(k1 INTEGER, k2 VARCHAR, v BIGINT), primary key (k1, k2). */
    private static final TableSchema COMPOSITE = new TableSchema(
            "T",
            List.of(
                    new ColumnDef("K1", ColumnType.INTEGER, 0, 0, false, null),
                    new ColumnDef("K2", ColumnType.VARCHAR, 10, 0, false, null),
                    ColumnDef.of("V", ColumnType.BIGINT)),
            List.of(0, 1));

    /** S(id BIGINT primary key, v INTEGER). */
    private static final TableSchema SINGLE = new TableSchema(
            "S",
            List.of(new ColumnDef("ID", ColumnType.BIGINT, 0, 0, false, null), ColumnDef.of("V", ColumnType.INTEGER)),
            List.of(0));

    private static RexNode ref(int i, SqlTypeName t) {
        return REX.makeInputRef(TYPES.createSqlType(t), i);
    }

    private static RexNode num(long v) {
        return REX.makeExactLiteral(BigDecimal.valueOf(v));
    }

    private static RexNode call(org.apache.calcite.sql.SqlOperator op, RexNode a, RexNode b) {
        return REX.makeCall(op, a, b);
    }

    private static AccessPath plan(TableSchema s, List<RexNode> filters, Map<Integer, @Nullable Object> params) {
        return KeyRangePlanner.plan(s, filters, params::get);
    }

    @Test
    void equalityOnTheWholeKeyIsAPointLookupAndConsumesTheFilter() {
        List<RexNode> filters =
                new ArrayList<>(List.of(call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.BIGINT), num(7))));
        AccessPath p = plan(SINGLE, filters, Map.of());
        assertEquals(AccessPath.Kind.POINTS, p.kind());
        assertArrayEquals(new Object[] {7L}, p.points().get(0));
        assertTrue(filters.isEmpty(), "the handled conjunct is removed so Calcite does not re-check it");
    }

    @Test
    void literalOnTheLeftIsReversed() {
        List<RexNode> filters =
                new ArrayList<>(List.of(call(SqlStdOperatorTable.LESS_THAN, num(5), ref(0, SqlTypeName.BIGINT))));
        AccessPath p = plan(SINGLE, filters, Map.of());
        assertEquals(AccessPath.Kind.RANGES, p.kind());
        KeyRange r = p.ranges().get(0);
        assertArrayEquals(new Object[] {5L}, r.lower());
        assertFalse(r.lowerInclusive(), "5 < id means id > 5");
        assertNull(r.upper());
    }

    @Test
    void dynamicParametersAreReadAtRunTime() {
        RelDataType bigint = TYPES.createSqlType(SqlTypeName.BIGINT);
        List<RexNode> filters = new ArrayList<>(List.of(
                call(
                        SqlStdOperatorTable.GREATER_THAN_OR_EQUAL,
                        ref(0, SqlTypeName.BIGINT),
                        REX.makeDynamicParam(bigint, 0)),
                call(SqlStdOperatorTable.LESS_THAN, ref(0, SqlTypeName.BIGINT), REX.makeDynamicParam(bigint, 1))));
        AccessPath p = plan(SINGLE, filters, Map.of(0, 10, 1, 20L));
        assertEquals(AccessPath.Kind.RANGES, p.kind());
        KeyRange r = p.ranges().get(0);
        assertArrayEquals(new Object[] {10L}, r.lower());
        assertTrue(r.lowerInclusive());
        assertArrayEquals(new Object[] {20L}, r.upper());
        assertFalse(r.upperInclusive());
        assertTrue(filters.isEmpty());
    }

    @Test
    void nullParameterMatchesNothing() {
        RelDataType bigint = TYPES.createSqlType(SqlTypeName.BIGINT);
        List<RexNode> filters = new ArrayList<>(
                List.of(call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.BIGINT), REX.makeDynamicParam(bigint, 0))));
        Map<Integer, @Nullable Object> params = new java.util.HashMap<>();
        params.put(0, null);
        assertEquals(AccessPath.Kind.EMPTY, plan(SINGLE, filters, params).kind());
    }

    @Test
    void prefixEqualityThenRangeOnTheNextKeyColumn() {
        List<RexNode> filters = new ArrayList<>(List.of(
                call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.INTEGER), num(3)),
                call(SqlStdOperatorTable.GREATER_THAN, ref(1, SqlTypeName.VARCHAR), REX.makeLiteral("b")),
                call(SqlStdOperatorTable.EQUALS, ref(2, SqlTypeName.BIGINT), num(1))));
        AccessPath p = plan(COMPOSITE, filters, Map.of());
        assertEquals(AccessPath.Kind.RANGES, p.kind());
        KeyRange r = p.ranges().get(0);
        assertArrayEquals(new Object[] {3, "b"}, r.lower());
        assertFalse(r.lowerInclusive());
        assertArrayEquals(new Object[] {3}, r.upper(), "upper bound is the prefix: every key starting with 3");
        assertTrue(r.upperInclusive());
        assertEquals(1, filters.size(), "the condition on the non-key column stays for Calcite");
    }

    @Test
    void prefixEqualityAloneIsAPrefixRange() {
        List<RexNode> filters =
                new ArrayList<>(List.of(call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.INTEGER), num(3))));
        AccessPath p = plan(COMPOSITE, filters, Map.of());
        assertEquals(AccessPath.Kind.RANGES, p.kind());
        assertArrayEquals(new Object[] {3}, p.ranges().get(0).lower());
        assertArrayEquals(new Object[] {3}, p.ranges().get(0).upper());
    }

    @Test
    void conditionOnlyOnTheSecondKeyColumnIsAFullScan() {
        List<RexNode> filters = new ArrayList<>(
                List.of(call(SqlStdOperatorTable.EQUALS, ref(1, SqlTypeName.VARCHAR), REX.makeLiteral("b"))));
        assertEquals(AccessPath.Kind.FULL, plan(COMPOSITE, filters, Map.of()).kind());
        assertEquals(1, filters.size(), "nothing consumed on a full scan");
    }

    @Test
    void searchWithPointsAndRangesBecomesSeveralSeeks() {
        RexNode in = REX.makeIn(ref(0, SqlTypeName.BIGINT), List.of(num(1), num(5), num(9)));
        List<RexNode> filters = new ArrayList<>(List.of(in));
        AccessPath p = plan(SINGLE, filters, Map.of());
        assertEquals(AccessPath.Kind.POINTS, p.kind(), "IN list on the whole key: " + in);
        assertEquals(List.of(1L, 5L, 9L), p.points().stream().map(k -> k[0]).toList());
        RexNode between = REX.makeBetween(ref(0, SqlTypeName.BIGINT), num(2), num(4));
        filters = new ArrayList<>(List.of(between));
        p = plan(SINGLE, filters, Map.of());
        if (p.kind() == AccessPath.Kind.RANGES) {
            assertArrayEquals(new Object[] {2L}, p.ranges().get(0).lower());
            assertArrayEquals(new Object[] {4L}, p.ranges().get(0).upper());
        } else {
            assertEquals(AccessPath.Kind.FULL, p.kind(), "BETWEEN not simplified to SEARCH: " + between);
        }
    }

    @Test
    void contradictoryRangeIsEmpty() {
        List<RexNode> filters = new ArrayList<>(List.of(
                call(SqlStdOperatorTable.GREATER_THAN, ref(0, SqlTypeName.BIGINT), num(10)),
                call(SqlStdOperatorTable.LESS_THAN, ref(0, SqlTypeName.BIGINT), num(5))));
        assertEquals(AccessPath.Kind.EMPTY, plan(SINGLE, filters, Map.of()).kind());
    }

    @Test
    void valueThatDoesNotFitTheKeyTypeIsLeftToCalcite() {
        List<RexNode> filters = new ArrayList<>(List.of(call(
                SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.BIGINT), REX.makeExactLiteral(new BigDecimal("2.5")))));
        AccessPath p = plan(SINGLE, filters, Map.of());
        assertEquals(AccessPath.Kind.FULL, p.kind());
        assertEquals(1, filters.size());
        assertEquals("FULL", p.describe());
        assertEquals("[]", Arrays.toString(p.points().toArray()));
    }

    @Test
    void describeNamesTheAccessShapeFromStructureAlone() {
        RelDataType bigint = TYPES.createSqlType(SqlTypeName.BIGINT);
        assertEquals(
                "POINT(ID)",
                KeyRangePlanner.describe(
                        SINGLE,
                        List.of(call(
                                SqlStdOperatorTable.EQUALS,
                                ref(0, SqlTypeName.BIGINT),
                                REX.makeDynamicParam(bigint, 0)))));
        assertEquals(
                "POINT(ID)",
                KeyRangePlanner.describe(
                        SINGLE, List.of(REX.makeIn(ref(0, SqlTypeName.BIGINT), List.of(num(1), num(2))))));
        assertEquals(
                "RANGE(K1, K2)",
                KeyRangePlanner.describe(
                        COMPOSITE,
                        List.of(REX.makeCall(
                                SqlStdOperatorTable.AND,
                                call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.INTEGER), num(3)),
                                call(
                                        SqlStdOperatorTable.LESS_THAN,
                                        ref(1, SqlTypeName.VARCHAR),
                                        REX.makeLiteral("q"))))));
        assertEquals(
                "RANGE(K1)",
                KeyRangePlanner.describe(
                        COMPOSITE, List.of(call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.INTEGER), num(3)))));
        assertEquals(
                "FULL",
                KeyRangePlanner.describe(
                        COMPOSITE, List.of(call(SqlStdOperatorTable.EQUALS, ref(2, SqlTypeName.BIGINT), num(3)))));
        assertEquals("FULL", KeyRangePlanner.describe(SINGLE, List.of()));
    }
}
