package io.stratadb.api;

/**
 * An open table, the argument of every data operation.
 *
 * <p>Invariants: the id and schema never change while the handle is valid; a dropped table's handle fails
 * every operation with {@link ErrorCode#TABLE_NOT_FOUND}.
 *
 * <p>Thread safety: thread-safe; one handle may be shared by every session of the engine.
 *
 * @since 0.1
 */
public interface TableHandle {
    /** The table's id in the page log; stable across restarts and nodes. */
    long id();

    /** The table's definition. */
    TableSchema schema();

    /** The table's name. */
    default String name() {
        return schema().name();
    }
}
