package io.stratadb.api;

/**
 * How a transaction reads.
 *
 * @param readTimestamp the snapshot's timestamp; 0 reads the newest committed data
 * @param ignorePrepare read the value from before prepared updates instead of failing with {@link
 *     ErrorCode#PREPARE_CONFLICT}; such a transaction cannot write
 * @param readOnly refuse writes with {@link ErrorCode#READ_ONLY_TRANSACTION}
 * @since 0.1
 */
public record TransactionOptions(long readTimestamp, boolean ignorePrepare, boolean readOnly) {
    private static final TransactionOptions DEFAULT = new TransactionOptions(0, false, false);

    public TransactionOptions {
        if (readTimestamp < 0) {
            throw new StrataException(ErrorCode.INVALID_TIMESTAMP, "read timestamp " + readTimestamp + " < 0");
        }
    }

    /** Newest data, prepared updates conflict, writes allowed. */
    public static TransactionOptions defaults() {
        return DEFAULT;
    }

    /** The same options reading at {@code ts}. */
    public TransactionOptions atTimestamp(long ts) {
        return new TransactionOptions(ts, ignorePrepare, readOnly);
    }
}
