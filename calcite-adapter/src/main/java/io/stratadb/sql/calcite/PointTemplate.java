package io.stratadb.sql.calcite;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.TableSchema;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.jspecify.annotations.Nullable;

/**
 * The access path of a prepared scan whose conjuncts fix every primary-key column with an equality to a literal
 * or a parameter (the point look-up of OLTP statements), worked out once: an execution only converts the
 * values, instead of re-deriving the plan from the expressions ({@link KeyRangePlanner#planConjuncts}).
 *
 * <p>Invariants: (1) built only when, for every key column, the first equality of that column among the
 * conjuncts (the one the general planner uses) compares the bare column, without a cast, with a literal or a
 * parameter; (2) {@link #plan} returns what {@link KeyRangePlanner#planConjuncts} returns for the same values,
 * or null for the cases it leaves to it (a NULL value, a value that does not convert to the column's type).
 *
 * <p>Thread safety: immutable; {@link Memo} is thread-safe.
 */
final class PointTemplate {
    private final TableSchema schema;
    private final ColumnDef[] columns;
    private final RexNode[] values;
    private final Set<Integer> consumed;

    private PointTemplate(TableSchema schema, ColumnDef[] columns, RexNode[] values, Set<Integer> consumed) {
        this.schema = schema;
        this.columns = columns;
        this.values = values;
        this.consumed = consumed;
    }

    /** The template of {@code conjuncts} over a table of {@code schema}, or null when they are not of its shape. */
    static @Nullable PointTemplate of(TableSchema schema, List<RexNode> conjuncts) {
        List<Integer> pk = schema.primaryKey();
        RexNode[] values = new RexNode[pk.size()];
        int[] conjunct = new int[pk.size()];
        boolean[] seen = new boolean[schema.columns().size()];
        for (int i = 0; i < conjuncts.size(); i++) {
            if (!(conjuncts.get(i) instanceof RexCall call) || call.getKind() != SqlKind.EQUALS) {
                continue;
            }
            KeyRangePlanner.Sides sides = KeyRangePlanner.sides(schema, call);
            if (sides == null) {
                continue;
            }
            int col = sides.ref().getIndex();
            if (seen[col]) {
                continue; // a later equality on the same column: the planner leaves it to Calcite too
            }
            seen[col] = true;
            int k = pk.indexOf(col);
            if (k < 0) {
                continue;
            }
            if (!(sides.column() instanceof RexInputRef)) {
                return null; // a widening cast: the general planner handles its range checks
            }
            values[k] = sides.value();
            conjunct[k] = i;
        }
        Set<Integer> consumed = new HashSet<>();
        ColumnDef[] defs = new ColumnDef[pk.size()];
        for (int k = 0; k < pk.size(); k++) {
            if (values[k] == null) {
                return null;
            }
            consumed.add(conjunct[k]);
            defs[k] = schema.columns().get(pk.get(k));
        }
        return new PointTemplate(schema, defs, values, Set.copyOf(consumed));
    }

    /** The plan for one execution, or null when the general planner must decide. */
    KeyRangePlanner.@Nullable Planned plan(KeyRangePlanner.Parameters params) {
        Object[] key = new Object[values.length];
        for (int k = 0; k < values.length; k++) {
            RexNode n = values[k];
            Object v = KeyRangePlanner.value(n, params);
            if (v == null) {
                return null;
            }
            Object converted = n instanceof RexDynamicParam
                    ? KeyRangePlanner.parameter(schema, columns[k], v)
                    : KeyRangePlanner.convert(schema, columns[k], v);
            if (converted == null) {
                return null;
            }
            key[k] = converted;
        }
        return new KeyRangePlanner.Planned(AccessPath.points(List.<Object[]>of(key)), consumed);
    }

    /**
     * One prepared scan's template, worked out on first use and again whenever the table's schema object changes.
     *
     * <p>Thread safety: thread-safe (a racy rebuild computes the same template).
     */
    static final class Memo {
        private record Entry(TableSchema schema, @Nullable PointTemplate template) {}

        private volatile @Nullable Entry entry;

        /** The template of {@code conjuncts} for {@code schema}, or null when they are not of its shape. */
        @Nullable
        PointTemplate get(TableSchema schema, List<RexNode> conjuncts) {
            Entry e = entry;
            if (e == null || e.schema() != schema) {
                e = new Entry(schema, of(schema, conjuncts));
                entry = e;
            }
            return e.template();
        }
    }
}
