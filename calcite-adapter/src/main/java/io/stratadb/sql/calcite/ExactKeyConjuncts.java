package io.stratadb.sql.calcite;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.TableSchema;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Sarg;

/**
 * The conjuncts of a filter that a {@link StrataTableScan}'s key access applies exactly in every execution,
 * whatever the parameter values: the planner drops them from the Filter above the scan, so Calcite does not
 * evaluate them again for every row.
 *
 * <p>A conjunct qualifies when {@link KeyRangePlanner} consumes it and every conjunct it consumes is a comparison
 * ({@code =, <, <=, >, >=}) or a {@code SEARCH} (BETWEEN, IN) of a SMALLINT, INTEGER or BIGINT primary-key column
 * (or of a widening cast of one, {@link WideningCast}) with a literal, or a comparison with a {@code ?} parameter of the column's own type. For these the seek selects
 * exactly the rows Calcite's comparison would: literals are converted exactly at planning time (a literal that
 * does not convert is not consumed), and a parameter is narrowed at run time the way Calcite's generated code
 * narrows it ({@link KeyRangePlanner#parameter}), so it always converts (a NULL gives no rows, as the comparison
 * would). Other key types (strings, decimals, doubles, times) keep Calcite's re-check, because their SQL
 * comparison and the key order may differ in corner cases.
 *
 * <p>Invariants: (1) the result is empty or exactly the set of conjuncts the planner consumes for any parameter
 * values; (2) consumption at run time is a superset of it (the same prefix equalities and ranges, since their
 * values always convert), which {@link StrataTable#scan} checks.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class ExactKeyConjuncts {
    private ExactKeyConjuncts() {}

    /** Indexes of the conjuncts the key access applies exactly in every execution (possibly none). */
    static Set<Integer> of(TableSchema schema, List<RexNode> conjuncts) {
        // Any integral value stands in for the parameters: the structure of the access does not depend on it.
        KeyRangePlanner.Planned planned = KeyRangePlanner.planConjuncts(schema, conjuncts, index -> 0L);
        if (planned.path().kind() == AccessPath.Kind.FULL) {
            return Set.of();
        }
        for (int j : planned.consumed()) {
            if (!alwaysApplied(schema, conjuncts.get(j))) {
                return Set.of();
            }
        }
        return Set.copyOf(planned.consumed());
    }

    private static boolean alwaysApplied(TableSchema schema, RexNode conjunct) {
        if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
            return false;
        }
        RexNode a = call.getOperands().get(0);
        RexNode b = call.getOperands().get(1);
        if (call.getKind() == SqlKind.SEARCH) {
            RexInputRef ref = WideningCast.keyRef(schema, a);
            if (ref == null || !integral(schema, ref) || !(b instanceof RexLiteral lit)) {
                return false;
            }
            Sarg<?> sarg = lit.getValueAs(Sarg.class);
            return sarg != null && sarg.nullAs != RexUnknownAs.TRUE;
        }
        RexInputRef ra = WideningCast.keyRef(schema, a);
        if (ra != null) {
            return integral(schema, ra) && fixedValue(schema, ra, a, b);
        }
        RexInputRef rb = WideningCast.keyRef(schema, b);
        if (rb != null) {
            return integral(schema, rb) && fixedValue(schema, rb, b, a);
        }
        return false;
    }

    private static boolean integral(TableSchema schema, RexInputRef ref) {
        return KeyRangePlanner.isIntegral(schema.columns().get(ref.getIndex()).type());
    }

    /**
     * A literal, or a parameter typed as the column (or as the type a widening cast of the column gives), so
     * Calcite narrows it exactly as the seek does.
     */
    private static boolean fixedValue(TableSchema schema, RexInputRef ref, RexNode column, RexNode value) {
        if (value instanceof RexLiteral) {
            return true;
        }
        if (!(value instanceof RexDynamicParam p)) {
            return false;
        }
        if (WideningCast.castType(schema, column) != null) {
            // narrowed to its own integer type, then compared as Calcite compares the widened values
            SqlTypeName t = p.getType().getSqlTypeName();
            return t == SqlTypeName.SMALLINT || t == SqlTypeName.INTEGER || t == SqlTypeName.BIGINT;
        }
        ColumnDef def = schema.columns().get(ref.getIndex());
        SqlTypeName expected = switch (def.type()) {
            case SMALLINT -> SqlTypeName.SMALLINT;
            case INTEGER -> SqlTypeName.INTEGER;
            default -> SqlTypeName.BIGINT;
        };
        return p.getType().getSqlTypeName() == expected;
    }
}
