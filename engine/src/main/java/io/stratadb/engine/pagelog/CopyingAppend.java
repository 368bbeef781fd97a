package io.stratadb.engine.pagelog;

/**
 * A page log whose log append copies the payload before it returns, so the caller may reuse its buffer: the
 * commit path encodes each commit record into one reused buffer and hands on the range it filled, instead of a
 * new exact-size array per commit.
 *
 * <p>Invariants: {@link #append(int, byte[], int, int)} behaves exactly as {@code PageLog.append(type,
 * copyOfRange(payload, offset, offset + length))}, and keeps no reference to {@code payload} after it returns.
 *
 * <p>Thread safety: as the page log's own append (thread-safe).
 */
public interface CopyingAppend {
    /** Appends the log record {@code payload[offset, offset + length)}; returns its LSN. */
    long append(int type, byte[] payload, int offset, int length);
}
