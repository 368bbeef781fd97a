package io.stratadb.sql.calcite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mappings;
import org.jspecify.annotations.Nullable;

/**
 * The planner rules that push filters and projections into a {@link StrataTableScan}.
 *
 * <p>Invariants: (1) the filter rule gives the scan every conjunct of the filter and keeps above it, in a Filter,
 * every conjunct except those the key access applies exactly in every execution ({@link ExactKeyConjuncts}); so
 * each condition is checked, by the seek or by Calcite; (2) the project rules narrow the scan to the columns
 * that the projection (and a Filter between them) reads, rewriting those expressions to the narrowed row; (3)
 * the aggregate rule narrows the scan under an Aggregate to the columns the Aggregate reads (none for {@code
 * COUNT(*)}: the engine then decodes no column at all); (4) the filter and project rules fire once per scan
 * (they require a scan without filters, respectively without projection), and the aggregate rule only to make
 * the scan strictly narrower, so planning terminates.
 *
 * <p>Thread safety: immutable rules.
 */
public final class StrataScanRules {
    private StrataScanRules() {}

    /** Filter over scan: the scan receives the filter's conjuncts; the ones it applies exactly leave the Filter. */
    public static final RelOptRule FILTER = new RuleConfig(
                    RelFactories.LOGICAL_BUILDER,
                    "StrataFilterIntoScan",
                    b0 -> b0.operand(LogicalFilter.class)
                            .oneInput(b1 -> b1.operand(StrataTableScan.class)
                                    .predicate(s -> s.filters().isEmpty() && s.projects() == null)
                                    .noInputs()),
                    FilterRule::new)
            .toRule();

    /** Project over scan: the scan returns only the columns the projection reads. */
    public static final RelOptRule PROJECT = new RuleConfig(
                    RelFactories.LOGICAL_BUILDER,
                    "StrataProjectIntoScan",
                    b0 -> b0.operand(LogicalProject.class)
                            .oneInput(b1 -> b1.operand(StrataTableScan.class)
                                    .predicate(s -> s.projects() == null)
                                    .noInputs()),
                    ProjectRule::new)
            .toRule();

    /**
     * Project over Filter over scan: the filter's conjuncts go to the scan as in {@link #FILTER}, and the scan
     * returns only the columns the projection and the remaining Filter read. (The Filter's input is a logical
     * set in which the {@link #FILTER} rule's enumerable scan does not match a Project's operand, so this shape
     * needs its own rule.)
     */
    public static final RelOptRule PROJECT_FILTER = new RuleConfig(
                    RelFactories.LOGICAL_BUILDER,
                    "StrataProjectFilterIntoScan",
                    b0 -> b0.operand(LogicalProject.class)
                            .oneInput(b1 -> b1.operand(LogicalFilter.class)
                                    .oneInput(b2 -> b2.operand(StrataTableScan.class)
                                            .predicate(s -> s.projects() == null)
                                            .noInputs())),
                    ProjectFilterRule::new)
            .toRule();

    /**
     * Aggregate over scan: the scan returns only the columns the Aggregate reads (its group keys, arguments and
     * filters), none for {@code COUNT(*)}. Calcite's own field trimming keeps at least one column, so without
     * this rule {@code SELECT COUNT(*) FROM t} decoded every column of every row.
     */
    public static final RelOptRule AGGREGATE = new RuleConfig(
                    RelFactories.LOGICAL_BUILDER,
                    "StrataAggregateColumnsIntoScan",
                    b0 -> b0.operand(LogicalAggregate.class)
                            .oneInput(b1 -> b1.operand(StrataTableScan.class).noInputs()),
                    AggregateRule::new)
            .toRule();

    /** See {@link #AGGREGATE}. */
    private static final class AggregateRule extends RelRule<RuleConfig> {
        AggregateRule(RuleConfig config) {
            super(config);
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            LogicalAggregate aggregate = call.rel(0);
            StrataTableScan scan = call.rel(1);
            int width = scan.getRowType().getFieldCount();
            Set<Integer> used = new TreeSet<>(RelOptUtil.getAllFields(aggregate));
            if (used.size() >= width) {
                return; // every column is read: nothing to narrow
            }
            int[] before = scan.projects();
            int[] columns = new int[used.size()];
            int i = 0;
            for (int field : used) {
                columns[i++] = before == null ? field : before[field];
            }
            call.transformTo(narrowed(aggregate, used, scan.withProjects(columns)));
        }
    }

    /**
     * Aggregate over Project over Filter over scan, where the key access applies every filter conjunct exactly
     * (no Filter is left) and the Aggregate reads only plain column references of the Project: one scan
     * returning only those columns (none for {@code COUNT(*) ... WHERE id >= ?}) under the Aggregate. Calcite
     * trims a {@code COUNT(*)}'s input to one column, not zero, and in this shape the scan the other rules make is
     * in a set the {@link #AGGREGATE} rule's operand does not see. With a Filter left above the scan, the other
     * rules apply and the scan returns the columns the Filter and Project read.
     */
    public static final RelOptRule AGGREGATE_PROJECT_FILTER = new RuleConfig(
                    RelFactories.LOGICAL_BUILDER,
                    "StrataAggregateProjectFilterIntoScan",
                    b0 -> b0.operand(LogicalAggregate.class)
                            .oneInput(b1 -> b1.operand(LogicalProject.class)
                                    .oneInput(b2 -> b2.operand(LogicalFilter.class)
                                            .oneInput(b3 -> b3.operand(StrataTableScan.class)
                                                    .predicate(s -> s.projects() == null)
                                                    .noInputs()))),
                    AggregateProjectFilterRule::new)
            .toRule();

    /** See {@link #AGGREGATE_PROJECT_FILTER}. */
    private static final class AggregateProjectFilterRule extends RelRule<RuleConfig> {
        AggregateProjectFilterRule(RuleConfig config) {
            super(config);
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            LogicalAggregate aggregate = call.rel(0);
            LogicalProject project = call.rel(1);
            Split split = Split.of(call.rel(2), call.rel(3));
            if (split.residual() != null) {
                return;
            }
            Set<Integer> used = new TreeSet<>(RelOptUtil.getAllFields(aggregate));
            int[] columns = new int[used.size()];
            int i = 0;
            for (int field : used) {
                if (!(project.getProjects().get(field) instanceof RexInputRef ref)) {
                    return;
                }
                columns[i++] = ref.getIndex();
            }
            call.transformTo(narrowed(aggregate, used, split.scan().withProjects(columns)));
        }
    }

    /**
     * {@code aggregate} over {@code input}, whose field {@code i} is the {@code i}-th of the aggregate's input
     * fields {@code used} (in increasing order).
     */
    private static RelNode narrowed(LogicalAggregate aggregate, Set<Integer> used, RelNode input) {
        Map<Integer, Integer> map = new HashMap<>();
        int i = 0;
        for (int field : used) {
            map.put(field, i++);
        }
        Mappings.TargetMapping mapping =
                Mappings.target(map, aggregate.getInput().getRowType().getFieldCount(), used.size());
        List<ImmutableBitSet> groupSets = new ArrayList<>();
        for (ImmutableBitSet g : aggregate.getGroupSets()) {
            groupSets.add(g.permute(map)); // the mapping keeps the order, so the sets stay sorted and distinct
        }
        List<AggregateCall> calls = new ArrayList<>();
        for (AggregateCall c : aggregate.getAggCallList()) {
            calls.add(c.transform(mapping));
        }
        return aggregate.copy(
                aggregate.getTraitSet(), input, aggregate.getGroupSet().permute(map), groupSets, calls);
    }

    /** See {@link #FILTER}. */
    private static final class FilterRule extends RelRule<RuleConfig> {
        FilterRule(RuleConfig config) {
            super(config);
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            LogicalFilter filter = call.rel(0);
            StrataTableScan scan = call.rel(1);
            Split split = Split.of(filter, scan);
            RexNode residual = split.residual();
            call.transformTo(
                    residual == null ? split.scan() : filter.copy(filter.getTraitSet(), split.scan(), residual));
        }
    }

    /**
     * A filter's conjuncts pushed into a scan: the scan with the conjuncts, and the condition still to check above
     * it (null when the key access applies all of them exactly).
     *
     * @param scan the scan with the filter's conjuncts (unchanged if it had filters already)
     * @param residual the conjuncts left to Calcite, as one condition, or null
     */
    private record Split(StrataTableScan scan, @Nullable RexNode residual) {
        static Split of(LogicalFilter filter, StrataTableScan scan) {
            if (!scan.filters().isEmpty()) {
                return new Split(scan, filter.getCondition()); // a Filter left above a scan by FILTER
            }
            List<RexNode> conjuncts = RelOptUtil.conjunctions(filter.getCondition());
            Set<Integer> exactIndexes = ExactKeyConjuncts.of(scan.schema(), conjuncts);
            List<RexNode> exact = new ArrayList<>();
            List<RexNode> rest = new ArrayList<>();
            for (int i = 0; i < conjuncts.size(); i++) {
                (exactIndexes.contains(i) ? exact : rest).add(conjuncts.get(i));
            }
            RexNode residual = rest.isEmpty()
                    ? null
                    : RexUtil.composeConjunction(filter.getCluster().getRexBuilder(), rest);
            return new Split(scan.withFilters(conjuncts, exact), residual);
        }
    }

    /** See {@link #PROJECT}. */
    private static final class ProjectRule extends RelRule<RuleConfig> {
        ProjectRule(RuleConfig config) {
            super(config);
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            RelNode narrowed = narrowedProject(call.rel(0), call.rel(1), null, null);
            if (narrowed != null) {
                call.transformTo(narrowed);
            }
        }
    }

    /** See {@link #PROJECT_FILTER}. */
    private static final class ProjectFilterRule extends RelRule<RuleConfig> {
        ProjectFilterRule(RuleConfig config) {
            super(config);
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            LogicalFilter filter = call.rel(1);
            Split split = Split.of(filter, call.rel(2));
            RelNode narrowed = narrowedProject(call.rel(0), split.scan(), filter, split.residual());
            if (narrowed != null) {
                call.transformTo(narrowed);
            }
        }
    }

    /**
     * {@code project} over {@code scan}, with the scan narrowed to the columns the projection and {@code residual}
     * read; {@code residual}, when not null, stays in a copy of {@code filter} between them. The scan alone when
     * it returns exactly the result; null when there is nothing to narrow (every column is read, no filter).
     */
    private static @Nullable RelNode narrowedProject(
            LogicalProject project, StrataTableScan scan, @Nullable LogicalFilter filter, @Nullable RexNode residual) {
        List<RexNode> exprs = project.getProjects();
        if (residual == null && exprs.stream().allMatch(e -> e instanceof RexInputRef)) {
            return scan.withProjects(columnsOf(project)); // the scan returns exactly the result
        }
        int width = scan.getRowType().getFieldCount();
        ImmutableBitSet used = RelOptUtil.InputFinder.bits(exprs, residual);
        if (used.cardinality() >= width && filter == null) {
            return null; // every column is read: nothing to narrow
        }
        RelNode input = scan;
        RexNode condition = residual;
        if (used.cardinality() < width) {
            int[] columns = used.toArray();
            input = scan.withProjects(columns);
            exprs = remap(exprs, columns, width);
            if (condition != null) {
                condition = remap(List.of(condition), columns, width).get(0);
            }
        }
        if (condition != null) {
            LogicalFilter f = Objects.requireNonNull(filter, "a residual condition comes from a filter");
            input = f.copy(f.getTraitSet(), input, condition);
        } else if (RexUtil.isIdentity(exprs, input.getRowType())) {
            return input; // the narrowed scan is the whole result: no Project above it
        }
        return project.copy(project.getTraitSet(), input, exprs, project.getRowType());
    }

    /** The columns of a projection made of column references only. */
    private static int[] columnsOf(LogicalProject project) {
        return project.getProjects().stream()
                .mapToInt(e -> ((RexInputRef) e).getIndex())
                .toArray();
    }

    /** Rewrites references to full-row column {@code columns[i]} into references to field {@code i}. */
    private static List<RexNode> remap(List<RexNode> exprs, int[] columns, int width) {
        int[] target = new int[width];
        for (int i = 0; i < columns.length; i++) {
            target[columns[i]] = i;
        }
        RexShuttle shuttle = new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return new RexInputRef(target[ref.getIndex()], ref.getType());
            }
        };
        return shuttle.apply(exprs);
    }
}
