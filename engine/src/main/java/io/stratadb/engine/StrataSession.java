package io.stratadb.engine;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionOptions;
import io.stratadb.api.TxnState;
import io.stratadb.engine.layered.StableSet;
import io.stratadb.engine.txn.Txn;
import org.jspecify.annotations.Nullable;

/**
 * A session of a {@link StrataEngine}: runs one transaction at a time.
 *
 * <p>Invariants: (1) at most one unfinished transaction; (2) after close, every call fails with CLOSED; closing
 * rolls back an active transaction and leaves a prepared one to {@code Engine.preparedTransaction}.
 *
 * <p>Thread safety: not thread-safe (one thread at a time), except {@link #closeForEngine()}.
 */
final class StrataSession implements Session {
    private final StrataEngine engine;
    private final long id;
    private @Nullable StrataTransaction current;
    private volatile boolean closed;

    StrataSession(StrataEngine engine, long id) {
        this.engine = engine;
        this.id = id;
    }

    @Override
    public long id() {
        return id;
    }

    void checkOpen() {
        engine.checkOpen();
        if (closed) {
            throw new StrataException(ErrorCode.CLOSED, "session " + id + " is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public Transaction begin() {
        return begin(TransactionOptions.defaults());
    }

    @Override
    public Transaction begin(TransactionOptions options) {
        checkOpen();
        StrataTransaction c = current;
        if (c != null && !c.txn().state().finished()) {
            throw new StrataException(
                    ErrorCode.INVALID_TRANSACTION_STATE,
                    "session " + id + " already runs transaction " + c.id() + " ("
                            + c.txn().state() + ")");
        }
        long term = engine.role().term();
        StableSet stable = engine.stableForNewTransaction();
        Txn t = engine.txns().begin(options);
        t.setTerm(term);
        if (stable != null) {
            t.setStableGeneration(stable.generation());
        }
        StrataTransaction st = new StrataTransaction(engine, this, t, stable);
        current = st;
        return st;
    }

    @Override
    public @Nullable Transaction current() {
        StrataTransaction c = current;
        return c == null || c.txn().state().finished() ? null : c;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        StrataTransaction c = current;
        current = null;
        if (c != null && c.txn().state() == TxnState.ACTIVE) {
            c.txn().rollback();
        }
        engine.sessionClosed(this);
    }

    /** Closes on behalf of a closing engine (from another thread). */
    void closeForEngine() {
        closed = true;
    }
}
