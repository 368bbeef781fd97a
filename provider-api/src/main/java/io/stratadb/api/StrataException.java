package io.stratadb.api;

import org.jspecify.annotations.Nullable;

/**
 * The one unchecked exception root of StrataDB: every failure a caller can cause carries an {@link ErrorCode}.
 *
 * <p>Invariants: the code is never null; the message names the objects involved (table, key, timestamp).
 *
 * <p>Thread safety: immutable after construction.
 *
 * @since 0.1
 */
public class StrataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public StrataException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public StrataException(ErrorCode code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The error's code. */
    public ErrorCode code() {
        return code;
    }

    /** The SQLSTATE of {@link #code()}. */
    public String sqlState() {
        return code.sqlState();
    }

    /** Whether the failed transaction may be run again unchanged. */
    public boolean retryable() {
        return code.retryable();
    }

    @Override
    public String getMessage() {
        return super.getMessage() + " [" + code + "/" + code.sqlState() + "]";
    }
}
