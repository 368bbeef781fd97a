package io.stratadb.sql.jdbc;

import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionOptions;
import io.stratadb.api.TxnState;
import io.stratadb.sql.calcite.StatementContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The engine side of one JDBC connection: its engine lease, its session, and the auto-commit state machine.
 *
 * <pre>
 *              statement reads or writes          commit() / rollback() / auto-commit end
 *   NO_TXN --------------------------------> IN_TXN ----------------------------------------> NO_TXN
 *                                              |                                                ^
 *                                              | the engine rolls it back (manual mode)         | rollback(), or
 *                                              v                                                | commit() (fails
 *                                            ABORTED -------------------------------------------+ with 40001)
 * </pre>
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>to</th><th>performed by</th></tr>
 *   <tr><td>NO_TXN</td><td>IN_TXN</td><td>{@link #transaction()} (a scan or DML begins one)</td></tr>
 *   <tr><td>IN_TXN</td><td>NO_TXN</td><td>{@link #commit()}, {@link #rollback()}; in auto-commit also {@link
 *   #writeSucceeded()}, {@link #writeFailed()}, {@link #statementStarting}, {@link #resultSetClosed}, {@link
 *   #batchEnded} (but not between the statements of a batch)</td></tr>
 *   <tr><td>IN_TXN</td><td>ABORTED</td><td>{@link #transaction()} (the next statement) finding the transaction
 *   rolled back by the engine (a conflict, a step-down) in manual mode; every statement then fails with 40001
 *   (a {@link #commit()} that finds it so fails with 40001 and goes to NO_TXN)</td></tr>
 *   <tr><td>ABORTED</td><td>NO_TXN</td><td>{@link #rollback()}; {@link #commit()}, which fails with 40001 and
 *   commits nothing</td></tr>
 * </table>
 *
 * <p>While an XA branch is associated ({@link #associate}, until {@link #dissociate}), statements run in the
 * branch's transaction instead, auto-commit is suspended, and {@code commit}, {@code rollback} and turning
 * auto-commit on fail with INVALID_TRANSACTION_STATE: the transaction manager ends the branch.
 *
 * <p>Invariants: (1) in auto-commit mode a write statement commits (or rolls back) before it returns (a batch
 * of statements, from {@link #batchStarting} to {@link #batchEnded}, commits or rolls back as one), and a
 * read's transaction ends when its result set closes or the next statement starts, so result sets are
 * CLOSE_CURSORS_AT_COMMIT; (2) turning auto-commit on commits an open transaction; (3) after {@link #close()}
 * the session is closed (rolling back its transaction) and the engine lease released, and every call fails with
 * CLOSED (08003); (4) in manual mode no commit ever commits part of what the application ran since its last
 * commit or rollback: once the engine has rolled that transaction back, statements fail until it is ended.
 *
 * <p>Thread safety: thread-safe (every method synchronizes on this object), though JDBC callers use one
 * connection from one thread at a time.
 */
public final class ConnectionSession implements StatementContext {
    /**
     * URL properties that configure the engine (the first nine are {@code EngineConfig} fields, the rest go to
     * its options); every other property is for Calcite or the driver.
     */
    static final List<String> ENGINE_PROPERTIES = List.of(
            "path",
            "pagelog",
            "role",
            "durability",
            "timestamps",
            "cache",
            "node",
            "pickup",
            "name",
            "failover",
            "failover_backoff_ms",
            "checkpoint_interval_ms",
            "checkpoint_log_records",
            "publish_interval_ms",
            "pickup_interval_ms");

    private final EngineRegistry.Lease lease;
    private final Session session;
    private @Nullable Transaction tx;
    private @Nullable Transaction global;
    private boolean autoCommit = true;
    /**
     * The id of the manual transaction the engine rolled back, until the application ends it (0: none). The
     * application's transaction is everything between its commits and rollbacks: no statement may start a new
     * engine transaction inside it, or a later commit would commit only the part after the error.
     */
    private long aborted;

    private boolean readOnly;
    private boolean closed;
    private boolean inBatch;
    private int lastStatement = -1;

    private ConnectionSession(EngineRegistry.Lease lease, Session session) {
        this.lease = lease;
        this.session = session;
    }

    /** The engine configuration of the connection properties (URL properties and {@code info}). */
    public static EngineConfig config(Properties info) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String name : info.stringPropertyNames()) {
            if (ENGINE_PROPERTIES.contains(name.toLowerCase(Locale.ROOT))) {
                props.put(name.toLowerCase(Locale.ROOT), info.getProperty(name));
            }
        }
        if (!props.containsKey("path") && !props.containsKey("pagelog") && props.containsKey("name")) {
            // A named in-memory database gets its own in-memory page log.
            props.put("pagelog", "memory:" + props.get("name"));
        }
        return EngineConfig.fromProperties(props);
    }

    /** Opens the engine of {@code info} (or shares the open one) and a session on it. */
    public static ConnectionSession open(Properties info) {
        EngineRegistry.Lease lease = EngineRegistry.acquire(config(info));
        try {
            return new ConnectionSession(lease, lease.engine().openSession());
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    @Override
    public synchronized Engine engine() {
        checkOpen();
        return lease.engine();
    }

    /** The session of a {@code jdbc:strata:} connection (as returned by the driver or a data source). */
    public static ConnectionSession of(java.sql.Connection c) throws java.sql.SQLException {
        Object impl = c.unwrap(StrataConnection.class);
        if (impl instanceof StatementContext.Source src && src.statementContext() instanceof ConnectionSession s) {
            return s;
        }
        throw SqlErrors.create("not a StrataDB connection: " + c, ErrorCode.INVALID_ARGUMENT.sqlState(), null);
    }

    /**
     * Runs the connection's statements in {@code branch} (an XA branch's transaction) until {@link
     * #dissociate()}. Fails with INVALID_TRANSACTION_STATE if a local transaction with writes is open or another
     * branch is associated; an open read-only local transaction is ended.
     */
    public synchronized void associate(Transaction branch) {
        checkOpen();
        if (global != null) {
            throw new StrataException(
                    ErrorCode.INVALID_TRANSACTION_STATE, "the connection is already associated with an XA branch");
        }
        Transaction t = tx;
        if (t != null && t.state() == TxnState.ACTIVE && t.hasWrites()) {
            throw new StrataException(
                    ErrorCode.INVALID_TRANSACTION_STATE,
                    "the connection has an uncommitted local transaction " + t.id() + "; commit or roll it back"
                            + " before starting an XA branch");
        }
        tx = null;
        if (t != null) {
            t.close();
        }
        global = branch;
    }

    /** Ends the association of {@link #associate}; the branch's transaction is left as it is. */
    public synchronized void dissociate() {
        global = null;
    }

    /** Whether an XA branch is associated. */
    public synchronized boolean inGlobalTransaction() {
        return global != null;
    }

    private void checkNotGlobal(String op) {
        if (global != null) {
            throw new StrataException(
                    ErrorCode.INVALID_TRANSACTION_STATE,
                    op + " is not allowed while the connection is associated with an XA branch; the transaction"
                            + " manager commits or rolls back the branch");
        }
    }

    @Override
    public synchronized Transaction transaction() {
        checkOpen();
        Transaction g = global;
        if (g != null) {
            if (g.state() != TxnState.ACTIVE) {
                throw new StrataException(
                        ErrorCode.TRANSACTION_ROLLED_BACK,
                        "the XA branch's transaction " + g.id() + " is " + g.state()
                                + " (rolled back after an earlier error or a timeout); the branch can only be rolled"
                                + " back");
            }
            return g;
        }
        if (aborted != 0) {
            throw abortedError();
        }
        Transaction t = tx;
        if (t != null) {
            TxnState state = t.state();
            if (state == TxnState.ACTIVE) {
                return t;
            }
            tx = null;
            t.close();
            if (!autoCommit && state == TxnState.ROLLED_BACK) {
                // The engine ended the transaction (a conflict, a step-down): its earlier statements are gone, and
                // every statement fails until the application ends the transaction it thinks is still open.
                aborted = t.id();
                throw abortedError();
            }
        }
        Transaction begun = session.begin(new TransactionOptions(0, false, readOnly));
        tx = begun;
        return begun;
    }

    private StrataException abortedError() {
        return new StrataException(
                ErrorCode.TRANSACTION_ROLLED_BACK,
                "transaction " + aborted + " was rolled back by the engine after an earlier error; every statement"
                        + " fails until the application ends it: call rollback() and run the transaction again");
    }

    /** Whether auto-commit is on. */
    public synchronized boolean autoCommit() {
        return autoCommit;
    }

    /** Sets auto-commit; turning it on commits the open transaction. */
    public synchronized void setAutoCommit(boolean on) {
        checkOpen();
        if (on) {
            checkNotGlobal("turning auto-commit on");
        }
        if (on && !autoCommit) {
            commit();
        }
        autoCommit = on;
    }

    /**
     * Commits the open transaction, if any. In manual mode, committing a transaction the engine has already
     * rolled back fails with TRANSACTION_ROLLED_BACK (40001), so the application never takes it as committed.
     */
    public synchronized void commit() {
        checkOpen();
        checkNotGlobal("commit");
        Transaction t = tx;
        if (aborted != 0) {
            long id = aborted;
            aborted = 0;
            tx = null;
            if (t != null) {
                t.close();
            }
            throw new StrataException(
                    ErrorCode.TRANSACTION_ROLLED_BACK,
                    "commit failed: transaction " + id + " had been rolled back by the engine after an earlier"
                            + " error; nothing of it was committed; run it again");
        }
        if (t == null) {
            return;
        }
        tx = null;
        TxnState state = t.state();
        if (state == TxnState.ACTIVE) {
            t.commit();
            return;
        }
        t.close();
        if (!autoCommit && state == TxnState.ROLLED_BACK) {
            throw new StrataException(
                    ErrorCode.TRANSACTION_ROLLED_BACK,
                    "commit failed: transaction " + t.id() + " had been rolled back by the engine after an"
                            + " earlier error; run it again");
        }
    }

    /** Makes later transactions read-only (writes fail with 25006); takes effect at the next transaction. */
    public synchronized void setReadOnly(boolean on) {
        checkOpen();
        readOnly = on;
    }

    /** Rolls back the open transaction, if any. */
    public synchronized void rollback() {
        checkOpen();
        checkNotGlobal("rollback");
        Transaction t = tx;
        tx = null;
        aborted = 0;
        if (t != null) {
            t.close();
        }
    }

    /** Whether a transaction is open with writes in it. */
    public synchronized boolean dirty() {
        Transaction t = closed || global != null ? null : tx;
        return t != null && t.state() == TxnState.ACTIVE && t.hasWrites();
    }

    @Override
    public synchronized void writeSucceeded() {
        if (autoCommit && global == null && !inBatch) {
            commit();
        }
    }

    @Override
    public synchronized void writeFailed() {
        if (autoCommit && global == null && !inBatch) {
            rollback();
        }
    }

    /**
     * Called before the statements of an {@code executeBatch} run: like {@link #statementStarting}, then until
     * {@link #batchEnded} statement boundaries neither commit nor roll back, so in auto-commit mode the whole batch
     * is one transaction.
     */
    public synchronized void batchStarting(int statementId) {
        checkOpen();
        statementStarting(statementId);
        inBatch = true;
    }

    /**
     * Ends an {@code executeBatch}. In auto-commit mode a batch that succeeded is committed and one that failed is
     * rolled back entirely (the table is as before the batch); in a manual transaction the failed statement has
     * already been undone and the earlier ones stay in the transaction.
     */
    public synchronized void batchEnded(boolean succeeded) {
        inBatch = false;
        if (autoCommit && global == null && !closed) {
            if (succeeded) {
                commit();
            } else {
                rollback();
            }
        }
    }

    /**
     * Called before statement {@code statementId} runs: in auto-commit mode, ends the previous statement's read
     * transaction.
     */
    public synchronized void statementStarting(int statementId) {
        if (autoCommit && !closed && global == null && !inBatch) {
            commit();
        }
        lastStatement = statementId;
    }

    /**
     * Called when a result set of statement {@code statementId} closes: in auto-commit mode, ends the read
     * transaction if that statement was the last to run.
     */
    public synchronized void resultSetClosed(int statementId) {
        if (autoCommit && !closed && global == null && !inBatch && statementId == lastStatement) {
            commit();
        }
    }

    /** Whether {@link #close()} has run. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Rolls back, closes the session and releases the engine (closing it if this was its last connection). */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        tx = null;
        global = null; // the branch belongs to its XA resource, which resolves it
        try {
            session.close();
        } finally {
            lease.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StrataException(ErrorCode.CLOSED, "connection is closed");
        }
    }
}
