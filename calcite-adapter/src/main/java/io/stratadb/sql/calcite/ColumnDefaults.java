package io.stratadb.sql.calcite;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.sql2rel.InitializerContext;
import org.apache.calcite.sql2rel.NullInitializerExpressionFactory;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimeString;
import org.apache.calcite.util.TimestampString;

/**
 * The values Calcite puts in columns an INSERT omits: the column's DEFAULT, else NULL.
 *
 * <p>Invariants: a column with a default reports {@link ColumnStrategy#DEFAULT}; a NOT NULL column without
 * one reports {@link ColumnStrategy#NOT_NULLABLE}, so omitting it fails validation.
 *
 * <p>Thread safety: immutable.
 */
final class ColumnDefaults extends NullInitializerExpressionFactory {
    private final TableSchema schema;

    ColumnDefaults(TableSchema schema) {
        this.schema = schema;
    }

    @Override
    public ColumnStrategy generationStrategy(RelOptTable table, int iColumn) {
        ColumnDef c = schema.columns().get(iColumn);
        if (c.defaultValue() != null) {
            return ColumnStrategy.DEFAULT;
        }
        return c.nullable() ? ColumnStrategy.NULLABLE : ColumnStrategy.NOT_NULLABLE;
    }

    @Override
    public RexNode newColumnDefaultValue(RelOptTable table, int iColumn, InitializerContext context) {
        ColumnDef c = schema.columns().get(iColumn);
        Object v = c.defaultValue();
        if (v == null) {
            return super.newColumnDefaultValue(table, iColumn, context);
        }
        RexBuilder rb = context.getRexBuilder();
        RelDataType type = table.getRowType().getFieldList().get(iColumn).getType();
        Object literal = switch (c.type()) {
            case DATE -> DateString.fromDaysSinceEpoch((Integer) v);
            case TIME -> TimeString.fromMillisOfDay((Integer) v);
            case TIMESTAMP -> TimestampString.fromMillisSinceEpoch((Long) v);
            case VARBINARY -> new ByteString((byte[]) v);
            case SMALLINT, INTEGER, BIGINT -> BigDecimal.valueOf(((Number) v).longValue());
            case DOUBLE -> BigDecimal.valueOf(((Number) v).doubleValue());
            default -> v;
        };
        return rb.makeLiteral(literal, type, true);
    }
}
