package io.stratadb.sql.jdbc;

import io.stratadb.api.ColumnDef;
import io.stratadb.sql.calcite.StrataTable;
import io.stratadb.sql.calcite.TypeMapping;
import java.sql.DatabaseMetaData;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.jdbc.CalciteMetaColumnFactory;
import org.apache.calcite.schema.Table;
import org.jspecify.annotations.Nullable;

/**
 * The rows of {@code DatabaseMetaData.getColumns}: a plain TYPE_NAME ({@code INTEGER}, not Calcite's {@code
 * INTEGER NOT NULL}) and, for user tables, the declared length, precision and scale from the engine's schema.
 *
 * <p>Invariants: TYPE_NAME never carries {@code NOT NULL} or a length; DATA_TYPE is the {@link java.sql.Types}
 * constant of the engine column type.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class StrataMetaColumnFactory implements CalciteMetaColumnFactory {
    /** The instance. */
    public static final StrataMetaColumnFactory INSTANCE = new StrataMetaColumnFactory();

    private StrataMetaColumnFactory() {}

    @Override
    @SuppressWarnings("nullness") // Avatica's MetaColumn takes boxed nulls where JDBC says "not applicable"
    public MetaImpl.MetaColumn createColumn(
            Table table,
            String tableCat,
            String tableSchem,
            String tableName,
            String columnName,
            int dataType,
            String typeName,
            Integer columnSize,
            @Nullable Integer decimalDigits,
            int numPrecRadix,
            int nullable,
            Integer charOctetLength,
            int ordinalPosition,
            String isNullable) {
        if (table instanceof StrataTable st) {
            int idx = st.schema().columnIndex(columnName);
            if (idx >= 0) {
                ColumnDef c = st.schema().columns().get(idx);
                int size = TypeMapping.columnSize(c);
                return new MetaImpl.MetaColumn(
                        tableCat,
                        tableSchem,
                        tableName,
                        columnName,
                        c.type().jdbcType(),
                        TypeMapping.typeName(c),
                        size,
                        TypeMapping.decimalDigits(c),
                        10,
                        c.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
                        size,
                        ordinalPosition,
                        c.nullable() ? "YES" : "NO");
            }
        }
        return new MetaImpl.MetaColumn(
                tableCat,
                tableSchem,
                tableName,
                columnName,
                dataType,
                plainTypeName(typeName),
                columnSize,
                decimalDigits,
                numPrecRadix,
                nullable,
                charOctetLength,
                ordinalPosition,
                isNullable);
    }

    @Override
    public Class<? extends MetaImpl.MetaColumn> getMetaColumnClass() {
        return MetaImpl.MetaColumn.class;
    }

    /** {@code VARCHAR NOT NULL} to {@code VARCHAR}, {@code DECIMAL(10, 2)} to {@code DECIMAL}. */
    static String plainTypeName(String fullTypeString) {
        String s = fullTypeString;
        if (s.endsWith(" NOT NULL")) {
            s = s.substring(0, s.length() - " NOT NULL".length());
        }
        int paren = s.indexOf('(');
        if (paren > 0) {
            s = s.substring(0, paren);
        }
        return s.trim();
    }
}
