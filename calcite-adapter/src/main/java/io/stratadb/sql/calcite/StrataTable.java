package io.stratadb.sql.calcite;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.Engine;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql2rel.InitializerExpressionFactory;
import org.apache.calcite.util.ImmutableBitSet;
import org.jspecify.annotations.Nullable;

/**
 * A user table of the engine, as Calcite sees it: planned as a {@link StrataTableScan} (primary-key seeks and
 * projection pushdown, compiled code rather than Calcite's interpreter), a primary key in its statistics, and
 * column defaults for INSERT.
 *
 * <p>Writes do not go through this class: {@link StrataModifyRule} plans them as {@link StrataTableModify}.
 *
 * <p>Invariants: (1) the row type is derived from the schema the table was created with; (2) at run time the
 * table is looked up again by name, and a table dropped or re-created since planning fails with
 * TABLE_NOT_FOUND instead of reading the wrong rows.
 *
 * <p>Thread safety: immutable; each scan runs in the calling connection's transaction.
 */
public final class StrataTable extends AbstractTable implements TranslatableTable {
    /** Scans started per access kind in this JVM: observable proof that key predicates become seeks. */
    private static final Map<AccessPath.Kind, LongAdder> ACCESSES = new EnumMap<>(AccessPath.Kind.class);

    static {
        for (AccessPath.Kind k : AccessPath.Kind.values()) {
            ACCESSES.put(k, new LongAdder());
        }
    }

    private final TableHandle handle;

    public StrataTable(TableHandle handle) {
        this.handle = handle;
    }

    /** How many scans of each access kind have started in this JVM. */
    public static long accesses(AccessPath.Kind kind) {
        LongAdder counter = ACCESSES.get(kind);
        return counter == null ? 0 : counter.sum();
    }

    /** The engine's handle as of planning. */
    public TableHandle handle() {
        return handle;
    }

    /** The table's schema. */
    public TableSchema schema() {
        return handle.schema();
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        RelDataTypeFactory.Builder b = typeFactory.builder();
        for (ColumnDef c : handle.schema().columns()) {
            b.add(c.name(), TypeMapping.relType(typeFactory, c));
        }
        return b.build();
    }

    @Override
    public Statistic getStatistic() {
        return Statistics.of(1000d, List.of(ImmutableBitSet.of(handle.schema().primaryKey())));
    }

    @Override
    public <C> @Nullable C unwrap(Class<C> aClass) {
        if (aClass == InitializerExpressionFactory.class) {
            return aClass.cast(new ColumnDefaults(handle.schema()));
        }
        return super.unwrap(aClass);
    }

    /** The current handle of this table in {@code engine}, failing if it was dropped or re-created. */
    public TableHandle resolve(Engine engine) {
        TableHandle now = engine.table(handle.name()).orElse(null);
        if (now == null || now.id() != handle.id()) {
            throw new StrataException(
                    ErrorCode.TABLE_NOT_FOUND,
                    "table " + handle.name() + " was dropped or re-created after the statement was prepared;"
                            + " prepare it again");
        }
        return now;
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        return StrataTableScan.create(context.getCluster(), relOptTable, this);
    }

    /**
     * Scans the rows matching the key conditions among {@code filters} (the caller still applies every filter),
     * projected to {@code projects} (all columns if null), in the connection's transaction.
     */
    public Enumerable<@Nullable Object[]> scan(DataContext root, List<RexNode> filters, int @Nullable [] projects) {
        List<RexNode> conjuncts = new ArrayList<>();
        for (RexNode f : filters) {
            conjuncts.addAll(RelOptUtil.conjunctions(f));
        }
        return scan(root, conjuncts, new int[0], projects, null);
    }

    /**
     * Like {@link #scan(DataContext, List, int[])} for conjuncts (no ANDs) of which those at the indexes {@code
     * exact} are not checked again by the caller: the access path must apply every one of them (else INTERNAL,
     * never wrong rows). {@code points} (the prepared statement's memo, or null) skips the planner for a point
     * look-up whose shape it has seen.
     */
    Enumerable<@Nullable Object[]> scan(
            DataContext root,
            List<RexNode> conjuncts,
            int[] exact,
            int @Nullable [] projects,
            PointTemplate.@Nullable Memo points) {
        StatementContext ctx = StatementContext.of(root);
        TableHandle table = resolve(ctx.engine());
        KeyRangePlanner.Parameters params = index -> root.get(parameterName(index));
        PointTemplate template = points == null ? null : points.get(table.schema(), conjuncts);
        KeyRangePlanner.Planned planned = template == null ? null : template.plan(params);
        if (planned == null) {
            planned = KeyRangePlanner.planConjuncts(table.schema(), conjuncts, params);
        }
        AccessPath path = planned.path();
        if (path.kind() != AccessPath.Kind.EMPTY) {
            for (int e : exact) {
                if (!planned.consumed().contains(e)) {
                    throw new StrataException(
                            ErrorCode.INTERNAL,
                            "the key access of a scan of " + table.name() + " did not apply the condition "
                                    + conjuncts.get(e) + " that the plan relies on it for");
                }
            }
        }
        LongAdder counter = ACCESSES.get(path.kind());
        if (counter != null) {
            counter.increment();
        }
        int[] proj = projects == null ? null : projects.clone();
        return new AbstractEnumerable<@Nullable Object[]>() {
            @Override
            public Enumerator<@Nullable Object[]> enumerator() {
                return new RowScan(ctx.transaction(), table, path, proj);
            }
        };
    }

    /** The data-context names of the first parameters, built once instead of at every execution. */
    private static final String[] PARAMETER_NAMES =
            IntStream.range(0, 32).mapToObj(i -> "?" + i).toArray(String[]::new);

    /** The name under which the data context holds parameter {@code ?index}. */
    private static String parameterName(int index) {
        return index < PARAMETER_NAMES.length ? PARAMETER_NAMES[index] : "?" + index;
    }

    /** Reads every row of the access path into a list, in the connection's transaction (used by DML). */
    static List<Object[]> readAll(StatementContext ctx, TableHandle table, AccessPath path) {
        List<Object[]> rows = new ArrayList<>();
        try (RowScan scan = new RowScan(ctx.transaction(), table, path, null)) {
            while (scan.moveNext()) {
                rows.add(scan.current());
            }
        }
        return rows;
    }

    @Override
    public String toString() {
        return "StrataTable(" + handle.name() + ")";
    }
}
