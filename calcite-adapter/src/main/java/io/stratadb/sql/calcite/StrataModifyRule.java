package io.stratadb.sql.calcite;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.logical.LogicalTableModify;
import org.jspecify.annotations.Nullable;

/**
 * The planner rule that turns INSERT, UPDATE and DELETE on a {@link StrataTable} into a {@link
 * StrataTableModify}, and a write to a {@link ReadOnlyTable} into a clear READ_ONLY_TABLE error.
 *
 * <p>Calcite's own DML rule only handles {@code ModifiableTable}, whose collection-based writes cannot express
 * UPDATE or key-based DELETE; our tables are not modifiable tables, so the two rules never compete.
 *
 * <p>Invariants: {@link #conversions()} counts successful conversions, which tests use to show that a prepared
 * statement is planned once.
 *
 * <p>Thread safety: thread-safe (stateless apart from the counter).
 */
public final class StrataModifyRule extends ConverterRule {
    private static final AtomicLong CONVERSIONS = new AtomicLong();

    /** The rule instance to register with the planner. */
    public static final StrataModifyRule INSTANCE = Config.INSTANCE
            .withConversion(
                    LogicalTableModify.class,
                    (LogicalTableModify m) -> m.getTable().unwrap(StrataTable.class) != null
                            || m.getTable().unwrap(ReadOnlyTable.class) != null,
                    Convention.NONE,
                    EnumerableConvention.INSTANCE,
                    "StrataModifyRule")
            .withRuleFactory(StrataModifyRule::new)
            .toRule(StrataModifyRule.class);

    private StrataModifyRule(Config config) {
        super(config);
    }

    /** How many DML statements this rule has planned in this JVM. */
    public static long conversions() {
        return CONVERSIONS.get();
    }

    @Override
    public @Nullable RelNode convert(RelNode rel) {
        TableModify m = (TableModify) rel;
        ReadOnlyTable ro = m.getTable().unwrap(ReadOnlyTable.class);
        if (ro != null) {
            throw new StrataException(
                    ErrorCode.READ_ONLY_TABLE,
                    "table " + ro.qualifiedName() + " is a read-only system table; " + m.getOperation()
                            + " is not allowed");
        }
        if (m.getOperation() == TableModify.Operation.MERGE) {
            throw new StrataException(ErrorCode.UNSUPPORTED, "MERGE is not supported; use INSERT, UPDATE or DELETE");
        }
        RelTraitSet traits = m.getTraitSet().replace(EnumerableConvention.INSTANCE);
        CONVERSIONS.incrementAndGet();
        return new StrataTableModify(
                m.getCluster(),
                traits,
                m.getTable(),
                m.getCatalogReader(),
                convert(m.getInput(), traits),
                m.getOperation(),
                m.getUpdateColumnList(),
                m.getSourceExpressionList(),
                m.isFlattened());
    }
}
