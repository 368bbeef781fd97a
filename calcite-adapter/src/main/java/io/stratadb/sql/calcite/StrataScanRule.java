package io.stratadb.sql.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableFilter;
import org.apache.calcite.adapter.enumerable.EnumerableProject;
import org.apache.calcite.interpreter.BindableConvention;
import org.apache.calcite.interpreter.Bindables;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.ImmutableIntList;
import org.jspecify.annotations.Nullable;

/**
 * The planner rule that compiles a scan of a {@link StrataTable} (with the filters and projection Calcite pushed
 * into it) to a {@link StrataEnumerableScan}, instead of running it through Calcite's interpreter.
 *
 * <p>Why: the interpreter builds a new {@code Interpreter} on every execution and re-optimizes its plan with a
 * {@code HepPlanner}, so a prepared point SELECT would be planned again per execution. The compiled scan does all
 * planning once; an execution is one generated call.
 *
 * <p>Thread safety: stateless.
 */
public final class StrataScanRule extends ConverterRule {
    /** The rule instance to register with the planner. */
    public static final StrataScanRule INSTANCE = Config.INSTANCE
            .withConversion(
                    Bindables.BindableTableScan.class,
                    (Bindables.BindableTableScan s) -> s.getTable().unwrap(StrataTable.class) != null,
                    BindableConvention.INSTANCE,
                    EnumerableConvention.INSTANCE,
                    "StrataScanRule")
            .withRuleFactory(StrataScanRule::new)
            .toRule(StrataScanRule.class);

    private StrataScanRule(Config config) {
        super(config);
    }

    @Override
    public @Nullable RelNode convert(RelNode rel) {
        Bindables.BindableTableScan scan = (Bindables.BindableTableScan) rel;
        RelTraitSet traits = scan.getTraitSet().replace(EnumerableConvention.INSTANCE);
        if (scan.filters.isEmpty()) {
            return new StrataEnumerableScan(scan.getCluster(), traits, scan.getTable(), List.of(), scan.projects);
        }
        // The table consumes the key predicates it can turn into seeks, and which ones may depend on parameter
        // values; so every pushed filter is checked again on the rows the seek returns (cheap compiled code), and
        // the projection is applied after that check, since the filters refer to the table's full row.
        RelNode full = new StrataEnumerableScan(
                scan.getCluster(), traits, scan.getTable(), scan.filters, ImmutableIntList.of());
        RexBuilder rex = scan.getCluster().getRexBuilder();
        RelNode filtered = EnumerableFilter.create(full, RexUtil.composeConjunction(rex, scan.filters));
        if (scan.projects.isEmpty()) {
            return filtered;
        }
        List<RexNode> exprs = new ArrayList<>();
        for (int i : scan.projects) {
            exprs.add(rex.makeInputRef(filtered, i));
        }
        return EnumerableProject.create(filtered, exprs, scan.getRowType());
    }
}
