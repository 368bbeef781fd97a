package io.stratadb.sql.sys;

import io.stratadb.api.Engine;
import io.stratadb.sql.calcite.ReadOnlyTable;
import io.stratadb.sql.calcite.StatementContext;
import java.util.List;
import java.util.function.Function;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.jspecify.annotations.Nullable;

/**
 * One table of the {@code SYS} schema: fixed columns over rows computed from the engine at each scan.
 *
 * <p>Invariants: (1) every scan reads the engine's current state (nothing is cached); (2) rows have exactly the
 * declared columns, with values of the declared types (BIGINT as Long, INTEGER as Integer, VARCHAR as String,
 * BOOLEAN as Boolean); (3) the table is read-only: writes fail with READ_ONLY_TABLE.
 *
 * <p>Thread safety: immutable.
 */
final class SysTable extends AbstractTable implements ScannableTable, ReadOnlyTable {
    /**
     * A column of a system table.
     *
     * @param name column name
     * @param type SQL type (BIGINT, INTEGER, VARCHAR or BOOLEAN)
     */
    record Column(String name, SqlTypeName type) {}

    private final String name;
    private final List<Column> columns;
    private final Function<Engine, List<@Nullable Object[]>> rows;

    SysTable(String name, List<Column> columns, Function<Engine, List<@Nullable Object[]>> rows) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.rows = rows;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory f) {
        RelDataTypeFactory.Builder b = f.builder();
        for (Column c : columns) {
            b.add(c.name(), f.createTypeWithNullability(f.createSqlType(c.type()), true));
        }
        return b.build();
    }

    @Override
    public Enumerable<@Nullable Object[]> scan(DataContext root) {
        Engine engine = StatementContext.of(root).engine();
        return Linq4j.asEnumerable(rows.apply(engine));
    }

    @Override
    public Schema.TableType getJdbcTableType() {
        return Schema.TableType.SYSTEM_TABLE;
    }

    @Override
    public String qualifiedName() {
        return SysSchema.NAME + "." + name;
    }

    String name() {
        return name;
    }

    List<Column> columns() {
        return columns;
    }
}
