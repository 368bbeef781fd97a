package io.stratadb.sql.xa;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.Engine;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.HeuristicOutcome;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionInfo;
import io.stratadb.api.TxnState;
import io.stratadb.sql.jdbc.ConnectionSession;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link XAResource} of one StrataDB XA connection: associates the connection with XA branches and drives
 * their two-phase commit on the engine's durable prepared transactions.
 *
 * <p>Each branch gets its own engine session and transaction ({@link Branch}); while a branch is associated,
 * the connection's statements run in it. Prepare writes the engine's durable PREPARE record with the xid, after
 * which the engine owns the branch: commit, rollback and recover work from any resource on the same database,
 * also after a restart. Heuristic outcomes (completed by an administrator with {@code CALL
 * SYS.COMMIT_PREPARED} or {@code SYS.ROLLBACK_PREPARED}) are reported as XA_HEURCOM / XA_HEURRB and listed by
 * {@link #recover} until {@link #forget}.
 *
 * <p>Invariants: (1) {@code prepare} returns XA_OK only after the prepare record is durable, and XA_RDONLY
 * (having committed the empty branch) when the branch wrote nothing; (2) {@code recover(TMSTARTRSCAN)} returns
 * every prepared xid and every remembered heuristic xid, never a committed one; (3) unknown xids fail with
 * XAER_NOTA, calls in the wrong state with XAER_PROTO, a closed connection or a node that cannot write with
 * XAER_RMFAIL; (4) a failed operation leaves the branch as it was, except that a failed prepare or one-phase
 * commit rolls the branch back (XA_RB*); (5) a branch not prepared within the transaction timeout is rolled
 * back (XA_RBTIMEOUT at its next end, prepare or commit).
 *
 * <p>Thread safety: thread-safe; the branch table's monitor serializes branch state changes.
 */
public final class StrataXAResource implements XAResource {
    private static final Logger LOG = LoggerFactory.getLogger(StrataXAResource.class);

    private final ConnectionSession connection;
    private final LongSupplier clockMillis;
    private volatile int timeoutSeconds;
    private volatile @Nullable Branch current;

    StrataXAResource(ConnectionSession connection, LongSupplier clockMillis) {
        this.connection = connection;
        this.clockMillis = clockMillis;
    }

    private Engine engine() throws XAException {
        try {
            return connection.engine();
        } catch (RuntimeException e) {
            throw XaErrors.of("reaching the database", e);
        }
    }

    /** The engine, or null if the connection is closed. */
    private @Nullable Engine engineOrNull() {
        try {
            return connection.isClosed() ? null : connection.engine();
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- association

    @Override
    public void start(Xid xid, int flags) throws XAException {
        GlobalTxnId x = XidCodec.toGlobal(xid);
        if (flags != TMNOFLAGS && flags != TMJOIN && flags != TMRESUME) {
            throw XaErrors.error(XAException.XAER_INVAL, "start(" + x + "): flags " + flags + " are not valid", null);
        }
        if (current != null) {
            throw XaErrors.error(
                    XAException.XAER_PROTO,
                    "start(" + x + "): this connection is still associated with branch " + current.xid,
                    null);
        }
        Engine e = engine();
        BranchTable table = BranchTable.of(e);
        synchronized (table) {
            table.expire(clockMillis.getAsLong());
            Branch b = table.get(x);
            if (flags == TMNOFLAGS) {
                b = begin(e, table, x, b);
            } else if (b == null) {
                throw XaErrors.error(XAException.XAER_NOTA, "start(" + x + "): no such branch to join or resume", null);
            } else if (b.rolledBack()) {
                throw XaErrors.error(
                        b.timedOut ? XAException.XA_RBTIMEOUT : XAException.XA_RBROLLBACK,
                        "start(" + x + "): the branch was rolled back",
                        null);
            } else if ((flags == TMRESUME) != (b.state == BranchState.SUSPENDED)) {
                throw XaErrors.error(
                        XAException.XAER_PROTO,
                        "start(" + x + ", " + (flags == TMRESUME ? "TMRESUME" : "TMJOIN") + ") of a branch that is "
                                + b.state,
                        null);
            }
            try {
                connection.associate(b.txn);
            } catch (RuntimeException ex) {
                if (flags == TMNOFLAGS) {
                    table.remove(b);
                    b.close();
                }
                int code = ex instanceof StrataException se && se.code() == ErrorCode.INVALID_TRANSACTION_STATE
                        ? XAException.XAER_OUTSIDE
                        : XAException.XAER_RMERR;
                throw XaErrors.error(code, "start(" + x + "): " + ex.getMessage(), ex);
            }
            b.associations++;
            b.state = BranchState.ACTIVE;
            current = b;
        }
    }

    @GuardedBy("table")
    private Branch begin(Engine e, BranchTable table, GlobalTxnId x, @Nullable Branch existing) throws XAException {
        if (existing != null || e.preparedTransaction(x).isPresent() || heuristic(e, x) != null) {
            throw XaErrors.error(XAException.XAER_DUPID, "start(" + x + "): the xid is already in use", null);
        }
        if (e.config().timestamps() != TimestampMode.AUTO) {
            throw XaErrors.error(
                    XAException.XAER_RMERR,
                    "start(" + x + "): XA needs a database in auto timestamp mode (timestamps=auto)",
                    null);
        }
        int t = timeoutSeconds;
        long deadline = t == 0 ? Long.MAX_VALUE : clockMillis.getAsLong() + t * 1000L;
        Session s = null;
        try {
            s = e.openSession();
            Transaction txn = s.begin();
            Branch b = new Branch(table, x, s, txn, deadline);
            table.put(b);
            return b;
        } catch (RuntimeException ex) {
            if (s != null) {
                s.close();
            }
            throw XaErrors.of("start(" + x + ")", ex);
        }
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        GlobalTxnId x = XidCodec.toGlobal(xid);
        if (flags != TMSUCCESS && flags != TMFAIL && flags != TMSUSPEND) {
            throw XaErrors.error(XAException.XAER_INVAL, "end(" + x + "): flags " + flags + " are not valid", null);
        }
        Branch b = current;
        if (b == null || !b.xid.equals(x)) {
            throw XaErrors.error(
                    XAException.XAER_PROTO, "end(" + x + "): this connection is not associated with it", null);
        }
        connection.dissociate();
        current = null;
        synchronized (b.table) {
            b.associations--;
            if (flags == TMFAIL) {
                b.markRollbackOnly(false);
                return;
            }
            if (b.rolledBack()) {
                throw rolledBack("end", b);
            }
            if (clockMillis.getAsLong() > b.deadlineMillis) {
                b.markRollbackOnly(true);
                throw rolledBack("end", b);
            }
            if (flags == TMSUSPEND) {
                b.state = BranchState.SUSPENDED;
            } else if (b.associations == 0) {
                b.state = BranchState.IDLE;
            }
        }
    }

    private static XAException rolledBack(String op, Branch b) {
        return XaErrors.error(
                b.timedOut ? XAException.XA_RBTIMEOUT : XAException.XA_RBROLLBACK,
                op + "(" + b.xid + "): the branch was rolled back"
                        + (b.timedOut ? " after its transaction timeout" : " (end with TMFAIL, or a conflict)"),
                null);
    }

    /**
     * Takes the unprepared branch {@code x} out of the table for {@code op}: it must be ended, and is rolled back
     * (and the rollback thrown) if it is rollback-only or past its deadline. Null if the table has no such branch.
     */
    private @Nullable Branch take(BranchTable table, GlobalTxnId x, String op) throws XAException {
        synchronized (table) {
            Branch b = table.get(x);
            if (b == null) {
                return null;
            }
            if (b.associations > 0 || b.state == BranchState.SUSPENDED) {
                throw XaErrors.error(
                        XAException.XAER_PROTO,
                        op + "(" + x + ") of a branch that is " + b.state + " (end it with TMSUCCESS first)",
                        null);
            }
            if (!b.rolledBack() && clockMillis.getAsLong() > b.deadlineMillis) {
                b.markRollbackOnly(true);
            }
            table.remove(b);
            if (b.rolledBack()) {
                b.close();
                throw rolledBack(op, b);
            }
            return b;
        }
    }

    // ---------------------------------------------------------------- two-phase commit

    @Override
    public int prepare(Xid xid) throws XAException {
        GlobalTxnId x = XidCodec.toGlobal(xid);
        Engine e = engine();
        Branch b = take(BranchTable.of(e), x, "prepare");
        if (b == null) {
            throw notFound(e, x, "prepare");
        }
        try {
            if (!b.txn.hasWrites()) {
                b.txn.commit();
                return XA_RDONLY;
            }
            b.txn.prepare(0, x);
            return XA_OK;
        } catch (RuntimeException ex) {
            b.txn.close();
            throw XaErrors.vote("prepare(" + x + ")", ex);
        } finally {
            b.close();
        }
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        GlobalTxnId x = XidCodec.toGlobal(xid);
        Engine e = engine();
        if (onePhase) {
            Branch b = take(BranchTable.of(e), x, "commit");
            if (b == null) {
                throw notFound(e, x, "commit(one-phase)");
            }
            try {
                b.txn.commit();
            } catch (RuntimeException ex) {
                b.txn.close();
                throw XaErrors.vote("commit(" + x + ", one-phase)", ex);
            } finally {
                b.close();
            }
            return;
        }
        Optional<Transaction> p = prepared(e, x, "commit");
        if (p.isPresent()) {
            try {
                p.get().commit();
            } catch (RuntimeException ex) {
                throw XaErrors.of("commit(" + x + ")", ex);
            }
            return;
        }
        BranchTable table = BranchTable.of(e);
        synchronized (table) {
            if (table.get(x) != null) {
                throw XaErrors.error(
                        XAException.XAER_PROTO, "commit(" + x + ", two-phase) of a branch that is not prepared", null);
            }
        }
        throw notFound(e, x, "commit");
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        GlobalTxnId x = XidCodec.toGlobal(xid);
        Engine e = engine();
        BranchTable table = BranchTable.of(e);
        synchronized (table) {
            Branch b = table.get(x);
            if (b != null) {
                if (b.associations > 0) {
                    throw XaErrors.error(
                            XAException.XAER_PROTO,
                            "rollback(" + x + ") of a branch still associated with a connection; end it first",
                            null);
                }
                table.remove(b);
                b.txn.close();
                b.close();
                return;
            }
        }
        Optional<Transaction> p = prepared(e, x, "rollback");
        if (p.isPresent()) {
            try {
                p.get().rollback();
            } catch (RuntimeException ex) {
                throw XaErrors.of("rollback(" + x + ")", ex);
            }
            return;
        }
        throw notFound(e, x, "rollback");
    }

    private static Optional<Transaction> prepared(Engine e, GlobalTxnId x, String op) throws XAException {
        try {
            return e.preparedTransaction(x).filter(t -> t.state() == TxnState.PREPARED);
        } catch (RuntimeException ex) {
            throw XaErrors.of(op + "(" + x + ")", ex);
        }
    }

    /**
     * The error for an xid that is neither an unprepared branch nor a prepared transaction: its heuristic
     * outcome, XAER_PROTO if it is prepared (for one-phase commit or a second prepare), else XAER_NOTA.
     */
    private static XAException notFound(Engine e, GlobalTxnId x, String op) throws XAException {
        HeuristicOutcome h;
        boolean isPrepared;
        try {
            h = heuristic(e, x);
            isPrepared = e.preparedTransaction(x).isPresent();
        } catch (RuntimeException ex) {
            throw XaErrors.of(op + "(" + x + ")", ex);
        }
        if (h != null) {
            boolean wanted = op.startsWith("commit");
            int code = h.committed() ? XAException.XA_HEURCOM : XAException.XA_HEURRB;
            if (op.equals("prepare")) {
                code = XAException.XAER_PROTO;
            }
            LOG.warn(
                    "{} of {}: it was completed heuristically ({})",
                    op,
                    x,
                    h.committed() ? "committed" : "rolled back");
            return XaErrors.error(
                    code,
                    op + "(" + x + "): the branch was " + (h.committed() ? "committed" : "rolled back")
                            + " heuristically by an administrator" + (h.committed() == wanted ? "" : ", not as asked")
                            + "; call forget() once the outcome is recorded",
                    null);
        }
        if (isPrepared) {
            return XaErrors.error(XAException.XAER_PROTO, op + "(" + x + "): the branch is already prepared", null);
        }
        return XaErrors.error(XAException.XAER_NOTA, op + "(" + x + "): no such branch on this database", null);
    }

    private static @Nullable HeuristicOutcome heuristic(Engine e, GlobalTxnId x) {
        for (HeuristicOutcome h : e.heuristicOutcomes()) {
            if (h.xid().equals(x)) {
                return h;
            }
        }
        return null;
    }

    @Override
    public void forget(Xid xid) throws XAException {
        GlobalTxnId x = XidCodec.toGlobal(xid);
        Engine e = engine();
        boolean forgotten;
        try {
            forgotten = e.forgetHeuristic(x);
        } catch (RuntimeException ex) {
            throw XaErrors.of("forget(" + x + ")", ex);
        }
        if (!forgotten) {
            throw XaErrors.error(
                    XAException.XAER_NOTA, "forget(" + x + "): no heuristic outcome is remembered for it", null);
        }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        if (flag != TMNOFLAGS && flag != TMSTARTRSCAN && flag != TMENDRSCAN && flag != (TMSTARTRSCAN | TMENDRSCAN)) {
            throw XaErrors.error(XAException.XAER_INVAL, "recover: flags " + flag + " are not valid", null);
        }
        if ((flag & TMSTARTRSCAN) == 0) {
            return new Xid[0]; // the whole list was returned at the start of the scan
        }
        Engine e = engine();
        BranchTable table = BranchTable.of(e);
        synchronized (table) {
            table.expire(clockMillis.getAsLong()); // a recovery scan also ends branches abandoned before prepare
        }
        Set<GlobalTxnId> xids = new LinkedHashSet<>();
        try {
            for (TransactionInfo t : e.transactions()) {
                GlobalTxnId x = t.xid();
                if (t.state() == TxnState.PREPARED && x != null) {
                    xids.add(x);
                }
            }
            for (HeuristicOutcome h : e.heuristicOutcomes()) {
                xids.add(h.xid());
            }
        } catch (RuntimeException ex) {
            throw XaErrors.of("recover", ex);
        }
        List<Xid> out = new ArrayList<>();
        for (GlobalTxnId x : xids) {
            out.add(XidCodec.toXid(x));
        }
        return out.toArray(new Xid[0]);
    }

    // ---------------------------------------------------------------- resource manager identity and timeout

    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        if (!(other instanceof StrataXAResource o)) {
            return false;
        }
        Engine mine = engineOrNull();
        if (mine == null) {
            throw XaErrors.error(XAException.XAER_RMFAIL, "isSameRM: the connection is closed", null);
        }
        return mine == o.engineOrNull();
    }

    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    /** Sets the timeout of branches started from now on, in seconds; 0 means none. */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            throw XaErrors.error(XAException.XAER_INVAL, "transaction timeout " + seconds + " < 0", null);
        }
        timeoutSeconds = seconds;
        return true;
    }

    /** Ends this resource's association when its XA connection closes; the branch stays for the TM. */
    void connectionClosed() {
        Branch b = current;
        current = null;
        if (b != null) {
            connection.dissociate();
            synchronized (b.table) {
                b.associations--;
                if (b.associations == 0 && b.state == BranchState.ACTIVE) {
                    b.state = BranchState.IDLE;
                }
            }
        }
    }
}
