package io.stratadb.sql.jdbc;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.TableHandle;
import io.stratadb.sql.calcite.StrataSchema;
import io.stratadb.sql.calcite.StrataTable;
import io.stratadb.sql.calcite.TableWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.schema.Table;
import org.jspecify.annotations.Nullable;

/**
 * The direct execution of a single-row {@code INSERT INTO t VALUES (?, ..., ?)}: recognised once at prepare
 * time, it hands the parameter values straight to {@link TableWriter#apply} instead of running the enumerable
 * code Calcite generated for the VALUES row.
 *
 * <p>It applies only where Calcite's code would pass every value through unchanged: one parameter per column, in
 * column order, each column BOOLEAN, INTEGER, BIGINT, DOUBLE or VARCHAR with the parameter typed as the column,
 * and, at each execution, every value non-null and of exactly the column's Java class. Any other execution runs
 * Calcite's plan, so conversions, NOT NULL, lengths, duplicate keys (23505) and the savepoint undo behave as
 * through the general path (both go through {@code TableWriter.apply}).
 *
 * <p>Invariants: (1) the plan Calcite made is kept and used for every execution the direct path declines; (2) the
 * direct path is off when the system property {@code strata.sql.direct} is {@code false} at prepare time (tests
 * compare both paths).
 *
 * <p>Thread safety: the bindable is immutable and shared by executions; the counter is thread-safe.
 */
final class DirectInsert {
    private static final Pattern INSERT_VALUES = Pattern.compile(
            "\\s*INSERT\\s+INTO\\s+(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_]*)\\s+VALUES\\s*\\(\\s*\\?(\\s*,\\s*\\?)*\\s*\\)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final LongAdder EXECUTIONS = new LongAdder();

    private DirectInsert() {}

    /** How many executions took the direct path in this JVM. */
    static long executions() {
        return EXECUTIONS.sum();
    }

    /**
     * The signature with a direct bindable if {@code sql} is a single-row INSERT of parameters it can serve, else
     * {@code signature} itself.
     */
    static <T> CalcitePrepare.CalciteSignature<T> wrap(
            CalcitePrepare.Context context,
            String sql,
            long maxRowCount,
            CalcitePrepare.CalciteSignature<T> signature) {
        if ("false".equalsIgnoreCase(System.getProperty("strata.sql.direct"))) {
            return signature;
        }
        Matcher m = INSERT_VALUES.matcher(sql);
        if (!m.matches() || !List.of(StrataSchema.NAME).equals(context.getDefaultSchemaPath())) {
            return signature;
        }
        StrataTable table = table(context.getRootSchema(), m.group(1));
        if (table == null) {
            return signature;
        }
        List<ColumnDef> columns = table.schema().columns();
        List<AvaticaParameter> params = signature.parameters;
        if (params.size() != columns.size()) {
            return signature;
        }
        List<Class<?>> classes = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnType type = columns.get(i).type();
            Class<?> c = javaClass(type);
            if (c == null || params.get(i).parameterType != type.jdbcType()) {
                return signature;
            }
            classes.add(c);
        }
        TableHandle handle = table.handle();
        Bindable<T> direct = root -> run(root, handle, classes, signature);
        return new CalcitePrepare.CalciteSignature<>(
                signature.sql,
                signature.parameters,
                signature.internalParameters,
                signature.rowType,
                signature.columns,
                signature.cursorFactory,
                signature.rootSchema,
                signature.getCollationList(),
                maxRowCount,
                direct,
                signature.statementType);
    }

    @SuppressWarnings("unchecked") // a DML statement's single element is its Long count, whatever T says
    private static <T> Enumerable<T> run(
            DataContext root, TableHandle table, List<Class<?>> classes, CalcitePrepare.CalciteSignature<T> general) {
        @Nullable Object[] row = new Object[classes.size()];
        for (int i = 0; i < row.length; i++) {
            Object v = root.get("?" + i);
            if (v == null || v.getClass() != classes.get(i)) {
                return general.enumerable(root);
            }
            row[i] = v;
        }
        EXECUTIONS.increment();
        long count = TableWriter.apply(root, table.name(), table.id(), "INSERT", Linq4j.singletonEnumerable(row), "");
        return (Enumerable<T>) Linq4j.singletonEnumerable((Object) count);
    }

    private static @Nullable Class<?> javaClass(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> Boolean.class;
            case INTEGER -> Integer.class;
            case BIGINT -> Long.class;
            case DOUBLE -> Double.class;
            case VARCHAR -> String.class;
            default -> null;
        };
    }

    private static @Nullable StrataTable table(CalciteSchema root, String name) {
        CalciteSchema schema = root.getSubSchema(StrataSchema.NAME, true);
        if (schema == null) {
            return null;
        }
        String resolved = name.startsWith("\"") ? name.substring(1, name.length() - 1) : name.toUpperCase(Locale.ROOT);
        CalciteSchema.TableEntry entry = schema.getTable(resolved, true);
        Table t = entry == null ? null : entry.getTable();
        return t instanceof StrataTable st ? st : null;
    }
}
