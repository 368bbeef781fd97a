package io.stratadb.engine;

import io.stratadb.api.Cursor;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.KeyRange;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionOptions;
import io.stratadb.api.TxnState;
import io.stratadb.engine.btree.KeyCursor;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.layered.LayeredCursor;
import io.stratadb.engine.layered.LayeredRead;
import io.stratadb.engine.layered.StableSet;
import io.stratadb.engine.row.KeyCodec;
import io.stratadb.engine.row.RowProjection;
import io.stratadb.engine.txn.Txn;
import io.stratadb.engine.txn.WriteMode;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Transaction} of the strata engine: validates arguments and tables, encodes rows and keys, and drives
 * a {@link Txn}.
 *
 * <p>Invariants: (1) a failed operation changes nothing (validation and encoding happen before any write);
 * (2) a retryable failure (WRITE_CONFLICT, PREPARE_CONFLICT) has rolled the transaction back; (3) after the
 * engine or the session is closed, every call except {@link #close()} fails with CLOSED (a prepared transaction
 * handed out by {@code Engine.preparedTransaction} has no session).
 *
 * <p>Thread safety: not thread-safe; one thread at a time.
 */
final class StrataTransaction implements Transaction {
    private final StrataEngine engine;
    private final @Nullable StrataSession session;
    private final Txn txn;
    private final @Nullable StableSet stable;

    /**
     * A transaction; {@code stable} is the stable set it reads below the ingest trees (begun on a follower), or
     * null (begun on a leader: it reads the live trees only).
     */
    StrataTransaction(StrataEngine engine, @Nullable StrataSession session, Txn txn, @Nullable StableSet stable) {
        this.engine = engine;
        this.session = session;
        this.txn = txn;
        this.stable = stable;
    }

    Txn txn() {
        return txn;
    }

    private void checkOpen() {
        if (session != null) {
            session.checkOpen();
        } else {
            engine.checkOpen();
        }
    }

    private TableEntry table(TableHandle handle) {
        return engine.catalog().resolve(handle);
    }

    @Override
    public long id() {
        return txn.id();
    }

    @Override
    public TxnState state() {
        return txn.state();
    }

    @Override
    public TransactionOptions options() {
        return txn.options();
    }

    @Override
    public Object @Nullable [] get(TableHandle handle, Object[] key) {
        checkOpen();
        TableEntry t = table(handle);
        byte[] k = t.keys().encodeKey(key);
        txn.checkActive("get from", t.name());
        byte[] v;
        try {
            StableSet st = stable;
            v = st == null ? txn.read(t.tree(), k) : LayeredRead.value(txn.view(), t.tree(), st.tree(t.id()), k);
        } catch (StrataException e) {
            throw retryable(e, "reading " + t.name() + " key " + Arrays.toString(key));
        }
        return v == null ? null : t.rows().decode(v);
    }

    StrataException retryable(StrataException e, String context) {
        if (e.code() == ErrorCode.PREPARE_CONFLICT && txn.state() == TxnState.ACTIVE) {
            return txn.failRetryable(e, context);
        }
        return e;
    }

    @Override
    public Cursor cursor(TableHandle handle, KeyRange range) {
        return open(handle, range, null);
    }

    /** A cursor that decodes only {@code columns} of each row, skipping the stored bytes of the others. */
    @Override
    public Cursor cursor(TableHandle handle, KeyRange range, int[] columns) {
        return open(handle, range, columns);
    }

    private Cursor open(TableHandle handle, KeyRange range, int @Nullable [] columns) {
        checkOpen();
        TableEntry t = table(handle);
        txn.checkActive("cursor on", t.name());
        RowProjection projection = columns == null ? null : t.rows().projection(columns);
        KeyCodec kc = t.keys();
        byte[] low = null;
        byte[] high = null;
        boolean empty = false;
        Object[] lower = range.lower();
        if (lower != null) {
            byte[] p = kc.encodePrefix(lower);
            if (range.lowerInclusive()) {
                low = p;
            } else {
                low = KeyCodec.prefixEnd(p);
                empty = low == null;
            }
        }
        Object[] upper = range.upper();
        if (upper != null) {
            byte[] p = kc.encodePrefix(upper);
            high = range.upperInclusive() ? KeyCodec.prefixEnd(p) : p;
        }
        if (empty) {
            low = new byte[] {0};
            high = low;
        }
        StableSet st = stable;
        KeyCursor c = st == null
                ? txn.cursor(t.tree(), low, high)
                : new LayeredCursor(t.tree(), st.tree(t.id()), txn.view(), low, high);
        return new StrataCursor(this, t, c, projection);
    }

    @Override
    public void insert(TableHandle handle, Object[] row) {
        checkOpen();
        TableEntry t = table(handle);
        txn.checkActive("insert into", t.name());
        Object[] r = t.rows().coerceRow(row);
        byte[] k = t.keys().rowKey(r);
        byte[] v = t.rows().encode(r);
        if (!write(t, k, v, WriteMode.INSERT)) {
            throw new StrataException(
                    ErrorCode.DUPLICATE_KEY, "duplicate primary key " + keyText(t, r) + " in table " + t.name());
        }
    }

    private boolean write(TableEntry t, byte[] k, byte @Nullable [] v, WriteMode mode) {
        engine.checkWrite(txn);
        boolean done = txn.write(t.id(), t.tree(), k, v, mode);
        engine.recheckWrite(txn); // a step-down meanwhile made the table read-only: undo (seed 001)
        return done;
    }

    private static String keyText(TableEntry t, Object[] row) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < t.schema().primaryKey().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(row[t.schema().primaryKey().get(i)]);
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean update(TableHandle handle, Object[] row) {
        checkOpen();
        TableEntry t = table(handle);
        txn.checkActive("update of", t.name());
        Object[] r = t.rows().coerceRow(row);
        return write(t, t.keys().rowKey(r), t.rows().encode(r), WriteMode.UPDATE);
    }

    @Override
    public void upsert(TableHandle handle, Object[] row) {
        checkOpen();
        TableEntry t = table(handle);
        txn.checkActive("upsert into", t.name());
        Object[] r = t.rows().coerceRow(row);
        write(t, t.keys().rowKey(r), t.rows().encode(r), WriteMode.UPSERT);
    }

    @Override
    public boolean delete(TableHandle handle, Object[] key) {
        checkOpen();
        TableEntry t = table(handle);
        txn.checkActive("delete from", t.name());
        return write(t, t.keys().encodeKey(key), null, WriteMode.DELETE);
    }

    @Override
    public boolean hasWrites() {
        checkOpen();
        return txn.hasWrites();
    }

    @Override
    public long savepoint() {
        checkOpen();
        return txn.savepoint();
    }

    @Override
    public void rollbackTo(long savepoint) {
        checkOpen();
        txn.rollbackTo(savepoint);
    }

    @Override
    public void setCommitTimestamp(long commitTimestamp) {
        checkOpen();
        txn.setCommitTimestamp(commitTimestamp);
    }

    @Override
    public void prepare(long prepareTimestamp, @Nullable GlobalTxnId xid) {
        checkOpen();
        resolving(() -> txn.prepare(prepareTimestamp, xid));
    }

    /**
     * Runs a commit, prepare or rollback step: a refusal by the role check rolls an active transaction back
     * (its writes can never commit on this node), and a fenced page log deposes the node.
     */
    private void resolving(Runnable step) {
        try {
            step.run();
        } catch (StrataException e) {
            throw failedResolving(e);
        }
    }

    /** What {@link #resolving} does when its step fails with {@code e}; returns {@code e} to throw. */
    private StrataException failedResolving(StrataException e) {
        ErrorCode c = e.code();
        if (c == ErrorCode.FENCED) {
            engine.depose(e);
        } else if (c == ErrorCode.COMMIT_OUTCOME_UNKNOWN && e.getCause() instanceof StrataException fenced) {
            engine.depose(fenced); // fenced while its commit record was in flight
        }
        if ((c == ErrorCode.NOT_LEADER || c == ErrorCode.TRANSACTION_ROLLED_BACK || c == ErrorCode.FENCED)
                && txn.state() == TxnState.ACTIVE) {
            engine.txns().rollbackRetryably(txn, e.getMessage());
        }
        return e;
    }

    @Override
    public void commit() {
        commit(0, 0);
    }

    @Override
    public void commit(long commitTimestamp, long durableTimestamp) {
        checkOpen();
        try { // as resolving(), without a lambda per commit
            txn.commit(commitTimestamp, durableTimestamp);
        } catch (StrataException e) {
            throw failedResolving(e);
        }
    }

    @Override
    public void rollback() {
        checkOpen();
        TxnState s = txn.state();
        if (s == TxnState.COMMITTED) {
            throw new StrataException(
                    ErrorCode.INVALID_TRANSACTION_STATE, "rollback of transaction " + txn.id() + " which is " + s);
        }
        resolving(txn::rollback); // a transaction the engine already rolled back (a conflict) stays rolled back
    }

    @Override
    public void close() {
        TxnState s = txn.state();
        if (s.finished() || (session != null && session.isClosed() && s == TxnState.PREPARED)) {
            return;
        }
        txn.rollback();
    }
}
