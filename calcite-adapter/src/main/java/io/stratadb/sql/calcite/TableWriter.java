package io.stratadb.sql.calcite;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.jspecify.annotations.Nullable;

/**
 * Runs one INSERT, UPDATE or DELETE against the engine, called from the code generated for {@link
 * StrataTableModify}.
 *
 * <p>Invariants: (1) all input rows are read before the first write; (2) the statement is atomic: a savepoint
 * is taken before the first write and every write is undone on failure, so a failed statement leaves the table
 * unchanged; (3) an UPDATE that changes primary keys first deletes every old key, then inserts every new row,
 * so key shifts such as {@code SET id = id + 1} do not collide with rows still to be moved.
 *
 * <p>Thread safety: stateless; each call runs in its connection's transaction.
 */
public final class TableWriter {
    private TableWriter() {}

    /**
     * Applies a DML statement and returns its row count.
     *
     * @param root the statement's data context (finds the connection)
     * @param tableName the table's name at planning time
     * @param tableId the table's id at planning time
     * @param operation INSERT, UPDATE or DELETE
     * @param input the rows: full rows for INSERT and DELETE; old row then new values for UPDATE
     * @param updateColumns comma-separated column indexes updated, for UPDATE
     */
    public static long apply(
            DataContext root,
            String tableName,
            long tableId,
            String operation,
            Enumerable<?> input,
            String updateColumns) {
        StatementContext ctx = StatementContext.of(root);
        TableHandle table = ctx.engine().table(tableName).orElse(null);
        if (table == null || table.id() != tableId) {
            throw new StrataException(
                    ErrorCode.TABLE_NOT_FOUND,
                    "table " + tableName + " was dropped or re-created after the statement was prepared;"
                            + " prepare it again");
        }
        Transaction tx = ctx.transaction();
        long savepoint = tx.savepoint();
        try {
            List<@Nullable Object[]> rows = materialize(input);
            long count = switch (operation) {
                case "INSERT" -> insert(tx, table, rows);
                case "DELETE" -> delete(tx, table, rows);
                case "UPDATE" -> update(tx, table, rows, parseIndexes(updateColumns));
                default ->
                    throw new StrataException(
                            ErrorCode.UNSUPPORTED, operation + " is not supported on table " + tableName);
            };
            ctx.writeSucceeded();
            return count;
        } catch (RuntimeException | AssertionError | LinkageError e) {
            undo(tx, savepoint, e);
            ctx.writeFailed();
            Throwable t = named(e, operation, tableName);
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * A failure of the statement's input computation (Calcite's generated code), named after the table: a
     * checked cast out of range becomes NUMERIC_OUT_OF_RANGE and a failed conversion INVALID_VALUE.
     */
    private static Throwable named(Throwable e, String operation, String tableName) {
        if (e instanceof StrataException) {
            return e;
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ArithmeticException a
                    && String.valueOf(a.getMessage()).contains("out of range")) {
                return new StrataException(
                        ErrorCode.NUMERIC_OUT_OF_RANGE,
                        operation + " on table " + tableName + ": " + a.getMessage(),
                        e);
            }
            if (c instanceof NumberFormatException n) {
                return new StrataException(
                        ErrorCode.INVALID_VALUE,
                        operation + " on table " + tableName + ": invalid number: " + n.getMessage(),
                        e);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return e;
    }

    private static void undo(Transaction tx, long savepoint, Throwable cause) {
        try {
            if (tx.state() == io.stratadb.api.TxnState.ACTIVE) {
                tx.rollbackTo(savepoint);
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static List<@Nullable Object[]> materialize(Enumerable<?> input) {
        List<@Nullable Object[]> rows = new ArrayList<>();
        try (Enumerator<?> e = input.enumerator()) {
            while (e.moveNext()) {
                Object o = e.current();
                rows.add(o instanceof Object[] a ? a : new Object[] {o});
            }
        }
        return rows;
    }

    private static Object[] toEngineRow(TableSchema schema, @Nullable Object[] in, int offset) {
        List<ColumnDef> cols = schema.columns();
        Object[] row = new Object[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            row[i] = TypeMapping.toEngine(schema.name(), cols.get(i), in[offset + i]);
        }
        return row;
    }

    private static Object[] key(TableSchema schema, Object[] row) {
        List<Integer> pk = schema.primaryKey();
        Object[] key = new Object[pk.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = row[pk.get(i)];
        }
        return key;
    }

    private static long insert(Transaction tx, TableHandle table, List<@Nullable Object[]> rows) {
        for (@Nullable Object[] in : rows) {
            tx.insert(table, toEngineRow(table.schema(), in, 0));
        }
        return rows.size();
    }

    private static long delete(Transaction tx, TableHandle table, List<@Nullable Object[]> rows) {
        long n = 0;
        for (@Nullable Object[] in : rows) {
            if (tx.delete(table, key(table.schema(), toEngineRow(table.schema(), in, 0)))) {
                n++;
            }
        }
        return n;
    }

    private static long update(Transaction tx, TableHandle table, List<@Nullable Object[]> rows, int[] columns) {
        TableSchema schema = table.schema();
        int width = schema.columns().size();
        List<Object[]> moved = new ArrayList<>();
        long n = 0;
        for (@Nullable Object[] in : rows) {
            Object[] old = toEngineRow(schema, in, 0);
            Object[] row = old.clone();
            for (int i = 0; i < columns.length; i++) {
                int c = columns[i];
                row[c] = TypeMapping.toEngine(schema.name(), schema.columns().get(c), in[width + i]);
            }
            Object[] oldKey = key(schema, old);
            if (Arrays.deepEquals(oldKey, key(schema, row))) {
                if (tx.update(table, row)) {
                    n++;
                }
            } else {
                if (tx.delete(table, oldKey)) {
                    moved.add(row);
                }
            }
        }
        for (Object[] row : moved) {
            tx.insert(table, row);
            n++;
        }
        return n;
    }

    private static int[] parseIndexes(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        return Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
