package io.stratadb.sql.calcite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** A prepared point look-up's template plans exactly what the general key-range planner plans. */
class PointTemplateTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());
    private static final JavaTypeFactoryImpl TYPES = new JavaTypeFactoryImpl();
    private static final RexBuilder REX = new RexBuilder(TYPES);

    /** T(k1 SMALLINT, k2 VARCHAR(10), v BIGINT), primary key (k1, k2). */
    private static final TableSchema T = new TableSchema(
            "T",
            List.of(
                    new ColumnDef("K1", ColumnType.SMALLINT, 0, 0, false, null),
                    new ColumnDef("K2", ColumnType.VARCHAR, 10, 0, false, null),
                    ColumnDef.of("V", ColumnType.BIGINT)),
            List.of(0, 1));

    /** S(id BIGINT primary key, v INTEGER). */
    private static final TableSchema S = new TableSchema(
            "S",
            List.of(new ColumnDef("ID", ColumnType.BIGINT, 0, 0, false, null), ColumnDef.of("V", ColumnType.INTEGER)),
            List.of(0));

    private static final SqlTypeName[] COLUMN_TYPES_T = {SqlTypeName.SMALLINT, SqlTypeName.VARCHAR, SqlTypeName.BIGINT};
    private static final SqlTypeName[] COLUMN_TYPES_S = {SqlTypeName.BIGINT, SqlTypeName.INTEGER};

    private static final Object[] VALUES = {
        1, 7L, (short) 3, -40_000, 5_000_000_000L, "12", "abc", "x".repeat(12), new BigDecimal("1.5"), 2.0d, true
    };

    private static RexNode column(Random r, int col, SqlTypeName type) {
        RexNode ref = REX.makeInputRef(TYPES.createSqlType(type), col);
        if (type == SqlTypeName.SMALLINT && r.nextInt(4) == 0) {
            return REX.makeCast(TYPES.createSqlType(SqlTypeName.INTEGER), ref); // a widening cast
        }
        return ref;
    }

    private static RexNode value(Random r, int params) {
        return switch (r.nextInt(4)) {
            case 0 -> REX.makeExactLiteral(BigDecimal.valueOf(r.nextInt(20) - 5));
            case 1 -> REX.makeLiteral("k" + r.nextInt(3));
            default ->
                REX.makeDynamicParam(
                        TYPES.createSqlType(r.nextBoolean() ? SqlTypeName.BIGINT : SqlTypeName.VARCHAR),
                        r.nextInt(params));
        };
    }

    private static List<RexNode> conjuncts(Random r, SqlTypeName[] types, int params) {
        SqlOperator[] ops = {
            SqlStdOperatorTable.EQUALS,
            SqlStdOperatorTable.EQUALS,
            SqlStdOperatorTable.EQUALS,
            SqlStdOperatorTable.LESS_THAN,
            SqlStdOperatorTable.GREATER_THAN_OR_EQUAL
        };
        List<RexNode> out = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            int col = r.nextInt(types.length);
            RexNode c = column(r, col, types[col]);
            RexNode v = value(r, params);
            SqlOperator op = ops[r.nextInt(ops.length)];
            out.add(r.nextBoolean() ? REX.makeCall(op, c, v) : REX.makeCall(op, v, c));
        }
        return out;
    }

    private static String describe(KeyRangePlanner.Planned p) {
        StringBuilder sb = new StringBuilder(p.path().kind().name());
        for (Object[] k : p.path().points()) {
            sb.append(' ').append(Arrays.toString(k));
            for (Object o : k) {
                sb.append(o.getClass().getSimpleName()); // a Long where an Integer belongs would not find the key
            }
        }
        return sb.append(" ranges=")
                .append(p.path().ranges())
                .append(" consumed=")
                .append(new java.util.TreeSet<>(p.consumed()))
                .toString();
    }

    /** The plan described, "declined" (null), or the error a user would get. */
    private static String outcome(java.util.function.Supplier<KeyRangePlanner.@Nullable Planned> plan) {
        try {
            KeyRangePlanner.Planned p = plan.get();
            return p == null ? "declined" : describe(p);
        } catch (StrataException e) {
            return "error " + e.code() + ": " + e.getMessage();
        }
    }

    @Test
    void templatePlansMatchThePlannerForEveryShapeAndValue() {
        Random r = new Random(SEED);
        int planned = 0;
        int declined = 0;
        for (int round = 0; round < 20_000; round++) {
            boolean composite = r.nextBoolean();
            TableSchema schema = composite ? T : S;
            List<RexNode> conjuncts = conjuncts(r, composite ? COLUMN_TYPES_T : COLUMN_TYPES_S, 3);
            PointTemplate t = PointTemplate.of(schema, conjuncts);
            if (t == null) {
                continue;
            }
            for (int q = 0; q < 5; q++) {
                Map<Integer, @Nullable Object> params = new HashMap<>();
                for (int i = 0; i < 3; i++) {
                    params.put(i, r.nextInt(10) == 0 ? null : VALUES[r.nextInt(VALUES.length)]);
                }
                String general = outcome(() -> KeyRangePlanner.planConjuncts(schema, conjuncts, params::get));
                String fast = outcome(() -> t.plan(params::get));
                String ctx = conjuncts + " params " + params + " seed=" + SEED;
                if (fast.equals("declined")) {
                    declined++;
                    continue;
                }
                planned++;
                assertEquals(general, fast, ctx);
            }
        }
        assertTrue(planned > 1000, "the template planned " + planned + " executions (seed=" + SEED + ")");
        assertTrue(declined > 100, "the template left " + declined + " executions to the planner (seed=" + SEED + ")");
    }

    @Test
    void onlyEqualitiesOnEveryBareKeyColumnMakeATemplate() {
        RexNode id = REX.makeInputRef(TYPES.createSqlType(SqlTypeName.BIGINT), 0);
        RexNode v = REX.makeInputRef(TYPES.createSqlType(SqlTypeName.INTEGER), 1);
        RexNode p0 = REX.makeDynamicParam(TYPES.createSqlType(SqlTypeName.BIGINT), 0);
        RexNode p1 = REX.makeDynamicParam(TYPES.createSqlType(SqlTypeName.BIGINT), 1);
        assertNotNull(PointTemplate.of(S, List.of(REX.makeCall(SqlStdOperatorTable.EQUALS, id, p0))));
        assertNotNull(PointTemplate.of(
                S,
                List.of(
                        REX.makeCall(SqlStdOperatorTable.EQUALS, v, p1),
                        REX.makeCall(SqlStdOperatorTable.EQUALS, p0, id))));
        assertNull(PointTemplate.of(S, List.of(REX.makeCall(SqlStdOperatorTable.LESS_THAN, id, p0))));
        assertNull(PointTemplate.of(S, List.of(REX.makeCall(SqlStdOperatorTable.EQUALS, v, p0))));
        RexNode k1 = REX.makeInputRef(TYPES.createSqlType(SqlTypeName.SMALLINT), 0);
        RexNode k2 = REX.makeInputRef(TYPES.createSqlType(SqlTypeName.VARCHAR), 1);
        assertNull(PointTemplate.of(T, List.of(REX.makeCall(SqlStdOperatorTable.EQUALS, k1, p0))), "k2 is not fixed");
        assertNull(
                PointTemplate.of(
                        T,
                        List.of(
                                REX.makeCall(
                                        SqlStdOperatorTable.EQUALS,
                                        REX.makeCast(TYPES.createSqlType(SqlTypeName.INTEGER), k1),
                                        p0),
                                REX.makeCall(SqlStdOperatorTable.EQUALS, k2, p1))),
                "a widening cast is the planner's");
        KeyRangePlanner.Planned p = Objects.requireNonNull(
                        PointTemplate.of(S, List.of(REX.makeCall(SqlStdOperatorTable.EQUALS, id, p0))))
                .plan(i -> 42);
        assertNotNull(p);
        assertEquals(AccessPath.Kind.POINTS, p.path().kind());
        assertEquals(List.of(42L), Arrays.asList(p.path().points().get(0)));
    }
}
