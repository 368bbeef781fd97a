package io.stratadb.sql.calcite;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.BuiltInMethod;
import org.jspecify.annotations.Nullable;

/**
 * The physical DML operator on a {@link StrataTable}: it materializes its input, then writes it through the
 * connection's transaction with {@link TableWriter#apply}, and returns the row count.
 *
 * <p>Invariants: (1) the input is read completely before the first write, so a statement never sees its own
 * writes (no Halloween problem); (2) the generated code captures only the table's name and id, never a session.
 *
 * <p>Thread safety: immutable plan node.
 */
public final class StrataTableModify extends TableModify implements EnumerableRel {
    StrataTableModify(
            RelOptCluster cluster,
            RelTraitSet traitSet,
            RelOptTable table,
            Prepare.CatalogReader catalogReader,
            RelNode input,
            Operation operation,
            @Nullable List<String> updateColumnList,
            @Nullable List<RexNode> sourceExpressionList,
            boolean flattened) {
        super(
                cluster,
                traitSet,
                table,
                catalogReader,
                input,
                operation,
                updateColumnList,
                sourceExpressionList,
                flattened);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new StrataTableModify(
                getCluster(),
                traitSet,
                getTable(),
                getCatalogReader(),
                sole(inputs),
                getOperation(),
                getUpdateColumnList(),
                getSourceExpressionList(),
                isFlattened());
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        BlockBuilder builder = new BlockBuilder();
        Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
        Expression child = builder.append("child", input.block);
        Expression rows = builder.append("rows", input.physType.convertTo(child, JavaRowFormat.ARRAY));
        StrataTable st = table.unwrap(StrataTable.class);
        if (st == null) {
            throw new IllegalArgumentException("not a StrataDB table: " + table.getQualifiedName());
        }
        Expression count = builder.append(
                "count",
                Expressions.call(
                        TableWriter.class,
                        "apply",
                        implementor.getRootExpression(),
                        Expressions.constant(st.handle().name()),
                        Expressions.constant(st.handle().id()),
                        Expressions.constant(getOperation().name()),
                        rows,
                        Expressions.constant(updateColumnIndexes())));
        builder.add(Expressions.return_(null, Expressions.call(BuiltInMethod.SINGLETON_ENUMERABLE.method, count)));
        PhysType physType = PhysTypeImpl.of(
                implementor.getTypeFactory(),
                getRowType(),
                pref == Prefer.ARRAY ? JavaRowFormat.ARRAY : JavaRowFormat.SCALAR);
        return implementor.result(physType, builder.toBlock());
    }

    /** The updated columns as comma-separated table column indexes ("" if not an UPDATE). */
    private String updateColumnIndexes() {
        List<String> names = getUpdateColumnList();
        if (names == null) {
            return "";
        }
        List<String> fields = table.getRowType().getFieldNames();
        List<Integer> idx = new ArrayList<>();
        for (String n : names) {
            idx.add(fields.indexOf(n));
        }
        return idx.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
