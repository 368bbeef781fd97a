package io.stratadb.api;

import org.jspecify.annotations.Nullable;

/**
 * One column of a table.
 *
 * <p>Invariants: the name is non-empty and upper-cased by the SQL layer for unquoted identifiers; {@code
 * precision} is the maximum length for VARCHAR and VARBINARY and the number of digits for DECIMAL (0 = the
 * type's default); {@code scale} applies to DECIMAL only.
 *
 * @param name column name
 * @param type column type
 * @param precision length or number of digits, 0 for the default
 * @param scale DECIMAL scale
 * @param nullable whether NULL is allowed
 * @param defaultValue value used when an insert omits the column, in the type's row representation
 * @since 0.1
 */
public record ColumnDef(
        String name,
        ColumnType type,
        int precision,
        int scale,
        boolean nullable,
        @Nullable Object defaultValue) {
    public ColumnDef {
        if (name.isEmpty()) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "column name is empty");
        }
        if (precision < 0 || scale < 0) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "column " + name + ": negative precision or scale");
        }
    }

    /** A nullable column of the type's default size and no default value. */
    public static ColumnDef of(String name, ColumnType type) {
        return new ColumnDef(name, type, 0, 0, true, null);
    }
}
