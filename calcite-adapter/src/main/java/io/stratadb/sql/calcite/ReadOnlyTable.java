package io.stratadb.sql.calcite;

/**
 * A marker for tables that refuse every write, such as the {@code SYS} tables; {@link StrataModifyRule} turns
 * a write to one into a READ_ONLY_TABLE error (SQLSTATE 42809) naming the table.
 *
 * <p>Invariants: the qualified name is constant.
 *
 * <p>Thread safety: implementations are thread-safe.
 */
public interface ReadOnlyTable {
    /** The qualified name used in error messages, for example {@code SYS.NODE}. */
    String qualifiedName();
}
