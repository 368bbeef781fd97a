package io.stratadb.sql.calcite;

import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;

/**
 * The planner rules that push filters and projections into a {@link StrataTableScan}.
 *
 * <p>Invariants: (1) the filter rule keeps the filter above the scan, so every condition is still checked by
 * Calcite and the scan only uses the key conditions to narrow what it reads; (2) the project rule only replaces
 * projections made of plain column references; (3) each rule fires once per scan (it requires a scan without
 * filters, respectively without projection), so planning terminates.
 *
 * <p>Thread safety: immutable rules.
 */
public final class StrataScanRules {
    private StrataScanRules() {}

    /** Filter over scan: the scan receives the filter's conjuncts. */
    public static final RelOptRule FILTER = new RuleConfig(
                    RelFactories.LOGICAL_BUILDER,
                    "StrataFilterIntoScan",
                    b0 -> b0.operand(LogicalFilter.class)
                            .oneInput(b1 -> b1.operand(StrataTableScan.class)
                                    .predicate(s -> s.filters().isEmpty() && s.projects() == null)
                                    .noInputs()),
                    FilterRule::new)
            .toRule();

    /** Project of column references over scan: the scan returns only those columns. */
    public static final RelOptRule PROJECT = new RuleConfig(
                    RelFactories.LOGICAL_BUILDER,
                    "StrataProjectIntoScan",
                    b0 -> b0.operand(LogicalProject.class)
                            .predicate(p -> p.getProjects().stream().allMatch(e -> e instanceof RexInputRef))
                            .oneInput(b1 -> b1.operand(StrataTableScan.class)
                                    .predicate(s -> s.projects() == null)
                                    .noInputs()),
                    ProjectRule::new)
            .toRule();

    /** See {@link #FILTER}. */
    private static final class FilterRule extends RelRule<RuleConfig> {
        FilterRule(RuleConfig config) {
            super(config);
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            LogicalFilter filter = call.rel(0);
            StrataTableScan scan = call.rel(1);
            List<RexNode> conjuncts = RelOptUtil.conjunctions(filter.getCondition());
            call.transformTo(filter.copy(filter.getTraitSet(), scan.withFilters(conjuncts), filter.getCondition()));
        }
    }

    /** See {@link #PROJECT}. */
    private static final class ProjectRule extends RelRule<RuleConfig> {
        ProjectRule(RuleConfig config) {
            super(config);
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            LogicalProject project = call.rel(0);
            StrataTableScan scan = call.rel(1);
            int[] columns = project.getProjects().stream()
                    .mapToInt(e -> ((RexInputRef) e).getIndex())
                    .toArray();
            call.transformTo(scan.withProjects(columns));
        }
    }
}
