package io.stratadb.sql.calcite;

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
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexNode;
import org.jspecify.annotations.Nullable;

/**
 * The physical scan of a {@link StrataTable}: compiled into the statement's code (no interpreter), reading
 * through primary-key seeks when its filters allow, and returning only its projected columns.
 *
 * <p>EXPLAIN shows {@code access=[POINT(ID)]}, {@code access=[RANGE(CID, SEQ)]} or {@code access=[FULL]}: the
 * shape of the access {@link KeyRangePlanner} will use, decided from the filters' structure (the values,
 * including {@code ?} parameters, are bound at each execution).
 *
 * <p>Invariants: (1) {@code filters} are conjuncts over the table's full row; they only narrow what is read,
 * and the Filter above the scan still checks them; (2) the row type is the projection of the table's row type.
 *
 * <p>Thread safety: immutable plan node.
 */
public final class StrataTableScan extends TableScan implements EnumerableRel {
    private final StrataTable strataTable;
    private final List<RexNode> filters;
    private final int @Nullable [] projects;

    private StrataTableScan(
            RelOptCluster cluster,
            RelTraitSet traits,
            RelOptTable table,
            StrataTable strataTable,
            List<RexNode> filters,
            int @Nullable [] projects) {
        super(cluster, traits, List.of(), table);
        this.strataTable = strataTable;
        this.filters = List.copyOf(filters);
        this.projects = projects == null ? null : projects.clone();
    }

    static StrataTableScan create(RelOptCluster cluster, RelOptTable table, StrataTable strataTable) {
        return new StrataTableScan(
                cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE), table, strataTable, List.of(), null);
    }

    List<RexNode> filters() {
        return filters;
    }

    int @Nullable [] projects() {
        return projects == null ? null : projects.clone();
    }

    StrataTableScan withFilters(List<RexNode> f) {
        return new StrataTableScan(getCluster(), getTraitSet(), getTable(), strataTable, f, projects);
    }

    StrataTableScan withProjects(int[] p) {
        return new StrataTableScan(getCluster(), getTraitSet(), getTable(), strataTable, filters, p);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new StrataTableScan(getCluster(), traitSet, getTable(), strataTable, filters, projects);
    }

    @Override
    public void register(RelOptPlanner planner) {
        planner.addRule(StrataScanRules.FILTER);
        planner.addRule(StrataScanRules.PROJECT);
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
        return planner.getCostFactory().makeCost(rows, rows * width, 0);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        // Calcite represents one-column rows as the bare value (SCALAR), wider rows as Object[] (ARRAY).
        JavaRowFormat format = getRowType().getFieldCount() == 1 ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY;
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), format);
        Expression spec = implementor.stash(new Spec(strataTable, filters, projects), Spec.class);
        return implementor.result(
                physType,
                Blocks.toBlock(Expressions.call(
                        spec, format == JavaRowFormat.SCALAR ? "runScalar" : "run", implementor.getRootExpression())));
    }

    /**
     * What the generated code calls at each execution: the table, the filters and the projection.
     *
     * <p>Invariants: immutable; shared by every execution of the prepared statement.
     *
     * <p>Thread safety: immutable.
     */
    public static final class Spec {
        private final StrataTable table;
        private final List<RexNode> filters;
        private final int @Nullable [] projects;

        Spec(StrataTable table, List<RexNode> filters, int @Nullable [] projects) {
            this.table = table;
            this.filters = filters;
            this.projects = projects;
        }

        /** Runs the scan for one execution. */
        public Enumerable<@Nullable Object[]> run(DataContext root) {
            return table.scan(root, new ArrayList<>(filters), projects);
        }

        /** Runs the scan for one execution, for a one-column row type: each row is its single value. */
        public Enumerable<@Nullable Object> runScalar(DataContext root) {
            return run(root).select(row -> row[0]);
        }
    }
}
