package io.stratadb.api;

import java.util.List;
import java.util.Locale;

/**
 * The definition of a table: its columns and primary key.
 *
 * <p>Invariants: at least one column; column names unique; a non-empty primary key of distinct column
 * indexes, whose columns are NOT NULL. Rows are {@code Object[]} in column order.
 *
 * <p>Thread safety: immutable.
 *
 * @param name table name
 * @param columns columns in order
 * @param primaryKey indexes into {@code columns}, in key order
 * @since 0.1
 */
public record TableSchema(String name, List<ColumnDef> columns, List<Integer> primaryKey) {
    public TableSchema {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        if (name.isEmpty()) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "table name is empty");
        }
        if (columns.isEmpty()) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "table " + name + " has no columns");
        }
        if (primaryKey.isEmpty()) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "table " + name + " has no primary key");
        }
        var seen = new java.util.HashSet<String>();
        for (ColumnDef c : columns) {
            if (!seen.add(c.name().toUpperCase(Locale.ROOT))) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT, "table " + name + ": duplicate column " + c.name());
            }
        }
        var pk = new java.util.HashSet<Integer>();
        for (int i : primaryKey) {
            if (i < 0 || i >= columns.size() || !pk.add(i)) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT, "table " + name + ": bad primary key column index " + i);
            }
            if (columns.get(i).nullable()) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        "table " + name + ": primary key column "
                                + columns.get(i).name() + " must be NOT NULL");
            }
        }
    }

    /** The index of the named column (case-insensitive), or -1. */
    public int columnIndex(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }
}
