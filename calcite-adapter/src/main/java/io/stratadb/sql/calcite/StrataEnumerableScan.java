package io.stratadb.sql.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
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
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.ImmutableIntList;
import org.jspecify.annotations.Nullable;

/**
 * A compiled scan of a {@link StrataTable} with pushed-down key filters and projection; see {@link StrataScanRule}.
 *
 * <p>Invariants: the filters are those the table accepted (key predicates, possibly with dynamic parameters); they
 * and the projection are fixed at planning and handed to the generated code through the implementor's stash, so an
 * execution only binds parameter values.
 *
 * <p>Thread safety: immutable, like every relational expression.
 */
public final class StrataEnumerableScan extends AbstractRelNode implements EnumerableRel {
    private final RelOptTable table;
    private final List<RexNode> filters;
    private final ImmutableIntList projects;

    // Not a TableScan on purpose: Calcite's scan rules (FilterTableScanRule, ProjectTableScanRule) would try to
    // push into it again and turn it back into an interpreted scan.
    StrataEnumerableScan(
            RelOptCluster cluster,
            RelTraitSet traits,
            RelOptTable table,
            List<RexNode> filters,
            ImmutableIntList projects) {
        super(cluster, traits);
        this.table = table;
        this.filters = List.copyOf(filters);
        this.projects = projects;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new StrataEnumerableScan(getCluster(), traitSet, table, filters, projects);
    }

    @Override
    public RelOptTable getTable() {
        return table;
    }

    @Override
    protected RelDataType deriveRowType() {
        RelDataType full = table.getRowType();
        if (projects.isEmpty()) {
            return full;
        }
        var b = getCluster().getTypeFactory().builder();
        List<RelDataTypeField> fields = full.getFieldList();
        for (int i : projects) {
            b.add(fields.get(i));
        }
        return b.build();
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw)
                .item("table", table.getQualifiedName())
                .itemIf("filters", filters, !filters.isEmpty())
                .itemIf("projects", projects, !projects.isEmpty());
    }

    @Override
    public @Nullable RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        // Cheaper than the interpreted scan it replaces, with the same preference for narrower and filtered scans.
        double rows = table.getRowCount() * (filters.isEmpty() ? 1.0 : 0.01);
        double width = projects.isEmpty()
                ? 1.0
                : (projects.size() + 2d) / (table.getRowType().getFieldCount() + 2d);
        return planner.getCostFactory().makeCost(rows * width * 0.5, rows * 0.5, 0);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        // A one-column row travels as a bare value (Calcite's SCALAR format), wider rows as Object[].
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), pref.preferArray());
        StrataTable strata = table.unwrapOrThrow(StrataTable.class);
        int @Nullable [] proj = projects.isEmpty() ? null : projects.toIntArray();
        Expression spec = implementor.stash(new ScanSpec(strata, filters, proj), ScanSpec.class);
        String method = physType.getFormat() == JavaRowFormat.SCALAR ? "runScalar" : "run";
        Expression call = Expressions.call(spec, method, DataContext.ROOT);
        return implementor.result(physType, Blocks.toBlock(call));
    }

    /**
     * What one compiled scan reads: the table, its accepted filters and its projection.
     *
     * <p>Thread safety: immutable; {@link #run} may be called by many executions at once.
     */
    public static final class ScanSpec {
        private final StrataTable table;
        private final List<RexNode> filters;
        private final int @Nullable [] projects;

        ScanSpec(StrataTable table, List<RexNode> filters, int @Nullable [] projects) {
            this.table = table;
            this.filters = filters;
            this.projects = projects;
        }

        /** Runs the scan in the transaction of the connection behind {@code root}. */
        public Enumerable<@Nullable Object[]> run(DataContext root) {
            return table.scan(root, new ArrayList<>(filters), projects == null ? null : projects.clone());
        }

        /** Runs the scan of a one-column row type, yielding the column's values. */
        public Enumerable<@Nullable Object> runScalar(DataContext root) {
            return run(root).select(row -> row == null ? null : row[0]);
        }
    }
}
