package io.stratadb.sql.calcite;

import io.stratadb.api.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.runtime.FlatLists;
import org.jspecify.annotations.Nullable;

/**
 * The physical scan of a {@link StrataTable}: compiled into the statement's code (no interpreter), reading
 * through primary-key seeks when its filters allow, and returning only its projected columns.
 *
 * <p>EXPLAIN shows {@code access=[POINT(ID)]}, {@code access=[RANGE(CID, SEQ)]} or {@code access=[FULL]}: the
 * shape of the access {@link KeyRangePlanner} will use, decided from the filters' structure (the values,
 * including {@code ?} parameters, are bound at each execution).
 *
 * <p>Invariants: (1) {@code filters} are conjuncts over the table's full row; they narrow what is read, and the
 * Filter above the scan checks every one of them except those in {@code exact}, which the key access applies
 * exactly in every execution ({@link ExactKeyConjuncts}); (2) the row type is the projection of the table's row
 * type, and the engine decodes only the projected columns.
 *
 * <p>Thread safety: immutable plan node.
 */
public final class StrataTableScan extends TableScan implements EnumerableRel {
    private final StrataTable strataTable;
    private final List<RexNode> filters;
    private final List<RexNode> exact;
    private final int @Nullable [] projects;

    private StrataTableScan(
            RelOptCluster cluster,
            RelTraitSet traits,
            RelOptTable table,
            StrataTable strataTable,
            List<RexNode> filters,
            List<RexNode> exact,
            int @Nullable [] projects) {
        super(cluster, traits, List.of(), table);
        this.strataTable = strataTable;
        this.filters = List.copyOf(filters);
        this.exact = List.copyOf(exact);
        this.projects = projects == null ? null : projects.clone();
    }

    static StrataTableScan create(RelOptCluster cluster, RelOptTable table, StrataTable strataTable) {
        return new StrataTableScan(
                cluster,
                cluster.traitSetOf(EnumerableConvention.INSTANCE),
                table,
                strataTable,
                List.of(),
                List.of(),
                null);
    }

    List<RexNode> filters() {
        return filters;
    }

    /** The table's schema. */
    TableSchema schema() {
        return strataTable.schema();
    }

    int @Nullable [] projects() {
        return projects == null ? null : projects.clone();
    }

    /**
     * This scan with filter conjuncts {@code f} over the full row, of which {@code applied} (a subset) are applied
     * exactly by the key access in every execution, so no Filter above the scan checks them again.
     */
    StrataTableScan withFilters(List<RexNode> f, List<RexNode> applied) {
        return new StrataTableScan(getCluster(), getTraitSet(), getTable(), strataTable, f, applied, projects);
    }

    StrataTableScan withProjects(int[] p) {
        return new StrataTableScan(getCluster(), getTraitSet(), getTable(), strataTable, filters, exact, p);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new StrataTableScan(getCluster(), traitSet, getTable(), strataTable, filters, exact, projects);
    }

    @Override
    public void register(RelOptPlanner planner) {
        planner.addRule(StrataScanRules.FILTER);
        planner.addRule(StrataScanRules.PROJECT);
        planner.addRule(StrataScanRules.PROJECT_FILTER);
        planner.addRule(StrataScanRules.AGGREGATE);
        planner.addRule(StrataScanRules.AGGREGATE_PROJECT_FILTER);
    }

    @Override
    public RelDataType deriveRowType() {
        RelDataType full = table.getRowType();
        int[] p = projects;
        if (p == null) {
            return full;
        }
        List<RelDataTypeField> fields = full.getFieldList();
        List<RelDataTypeField> out = new ArrayList<>();
        for (int i : p) {
            out.add(fields.get(i));
        }
        return getCluster().getTypeFactory().createStructType(out);
    }

    /** The access shape, for EXPLAIN and costing. */
    String access() {
        return KeyRangePlanner.describe(strataTable.schema(), filters);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        int[] p = projects;
        return super.explainTerms(pw)
                .itemIf("filters", filters, !filters.isEmpty())
                .itemIf("exact", exact, !exact.isEmpty())
                .itemIf("projects", p == null ? "" : Arrays.toString(p), p != null)
                .item("access", access());
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        double rows = super.estimateRowCount(mq);
        String a = access();
        if (a.startsWith("POINT")) {
            return 1;
        }
        return a.startsWith("RANGE") ? Math.max(1, rows / 10) : rows;
    }

    @Override
    public @Nullable RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        double rows = estimateRowCount(mq);
        int[] p = projects;
        double width = p == null
                ? 1
                : 0.5 + 0.5 * p.length / Math.max(1, table.getRowType().getFieldCount());
        // Volcano compares costs by their row count alone: weigh it by the width, so that of two plans that
        // read the same rows the one decoding fewer columns wins (a factor of at most 2 never outweighs a seek).
        return planner.getCostFactory().makeCost(rows * width, rows * width, 0);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        // Calcite represents one-column rows as the bare value (SCALAR), wider rows as Object[] (ARRAY), and rows
        // of no column (a scan under COUNT(*)) as an empty list (LIST).
        int width = getRowType().getFieldCount();
        JavaRowFormat format =
                width == 0 ? JavaRowFormat.LIST : width == 1 ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY;
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), format);
        Expression spec = implementor.stash(new Spec(strataTable, filters, exact, projects), Spec.class);
        String method = width == 0 ? "runEmpty" : width == 1 ? "runScalar" : "run";
        return implementor.result(
                physType, Blocks.toBlock(Expressions.call(spec, method, implementor.getRootExpression())));
    }

    /**
     * What the generated code calls at each execution: the table, the filters and the projection.
     *
     * <p>Invariants: immutable, except the memo of its point template; shared by every execution of the
     * prepared statement.
     *
     * <p>Thread safety: thread-safe.
     */
    public static final class Spec {
        private final StrataTable table;
        private final List<RexNode> conjuncts;
        private final int[] exact;
        private final int @Nullable [] projects;
        private final PointTemplate.Memo points = new PointTemplate.Memo();

        Spec(StrataTable table, List<RexNode> filters, List<RexNode> exact, int @Nullable [] projects) {
            this.table = table;
            List<RexNode> c = new ArrayList<>();
            for (RexNode f : filters) {
                c.addAll(RelOptUtil.conjunctions(f));
            }
            this.conjuncts = List.copyOf(c);
            this.exact = exact.stream().mapToInt(conjuncts::indexOf).toArray();
            this.projects = projects;
        }

        /** Runs the scan for one execution. */
        public Enumerable<@Nullable Object[]> run(DataContext root) {
            return table.scan(root, conjuncts, exact, projects, points);
        }

        /** Runs the scan for one execution, for a row type of no column: each row is the empty list. */
        public Enumerable<FlatLists.ComparableList<?>> runEmpty(DataContext root) {
            return run(root).select(row -> FlatLists.COMPARABLE_EMPTY_LIST);
        }

        /** Runs the scan for one execution, for a one-column row type: each row is its single value. */
        public Enumerable<@Nullable Object> runScalar(DataContext root) {
            return run(root).select(row -> row[0]);
        }
    }
}
