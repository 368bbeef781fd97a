package io.stratadb.engine.btree;

/**
 * A position over the visible keys of one table in one transaction's view, moved with seek, next and prev: the
 * cursor over one tree ({@link TreeCursor}) and the layered cursor over ingest and stable share it.
 *
 * <p>Invariants: when {@link #positioned()}, {@link #key()} and {@link #value()} describe a visible row.
 *
 * <p>Thread safety: not thread-safe; one thread moves a cursor.
 */
public interface KeyCursor {
    /** Positions before the first key {@code >= key}. */
    void seek(byte[] key);

    /** Moves to the next visible key; false at the end of the range. */
    boolean next();

    /** Moves to the previous visible key; false at the start of the range. */
    boolean prev();

    /** Whether the cursor is on a key. */
    boolean positioned();

    /** The current key; only when positioned. */
    byte[] key();

    /** The current value; only when positioned. */
    byte[] value();
}
