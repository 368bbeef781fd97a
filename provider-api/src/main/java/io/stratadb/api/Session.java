package io.stratadb.api;

import org.jspecify.annotations.Nullable;

/**
 * A connection's view of the engine: it runs one transaction at a time.
 *
 * <p>Invariants: at most one unfinished transaction; {@link #begin()} while one is unfinished fails with
 * {@link ErrorCode#INVALID_TRANSACTION_STATE}.
 *
 * <p>Thread safety: not thread-safe; one thread at a time. Ownership: the caller; closing the session rolls
 * back its unfinished transaction, unless that transaction is prepared (a prepared transaction outlives its
 * session and is resolved through {@link Engine#preparedTransaction(GlobalTxnId)}).
 *
 * @since 0.1
 */
public interface Session extends AutoCloseable {
    /** The engine-unique session id. */
    long id();

    /** Begins a transaction with default options. */
    Transaction begin();

    /** Begins a transaction. */
    Transaction begin(TransactionOptions options);

    /** The unfinished transaction, or null. */
    @Nullable
    Transaction current();

    @Override
    void close();
}
