package io.stratadb.api;

/**
 * A position in a table's key order within a {@link KeyRange}, seeing the rows of its transaction's snapshot.
 *
 * <p>A new cursor is positioned before the first row: {@link #next()} moves to the first row, {@link #prev()}
 * to the last. {@link #row()} is valid after a move that returned true.
 *
 * <p>Thread safety: not thread-safe; used by the thread that runs its transaction. Ownership: the caller
 * closes it; closing its transaction closes it too.
 *
 * @since 0.1
 */
public interface Cursor extends AutoCloseable {
    /** Moves to the next row in key order; false at the end of the range. */
    boolean next();

    /** Moves to the previous row in key order; false at the start of the range. */
    boolean prev();

    /**
     * Positions the cursor so that {@link #next()} returns the first row whose key is at or after {@code
     * key} (a full key or a prefix), within the range.
     */
    void seek(Object[] key);

    /** The current row, in column order. Throws {@link ErrorCode#INVALID_ARGUMENT} if not positioned. */
    Object[] row();

    @Override
    void close();
}
