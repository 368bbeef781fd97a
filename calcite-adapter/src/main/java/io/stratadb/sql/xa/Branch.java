package io.stratadb.sql.xa;

import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.Session;
import io.stratadb.api.Transaction;
import io.stratadb.api.TxnState;

/**
 * One XA branch that has not been prepared yet: its xid, its own engine session and transaction, its state and
 * deadline.
 *
 * <p>Invariants: (1) the branch has its own engine {@link Session}, so the connections that worked on it are
 * free for other work once it ends, and prepare leaves the transaction to the engine; (2) {@code associations}
 * counts the connections currently associated (start without end); (3) state changes follow {@link
 * BranchState}; (4) {@link #close()} is called once the branch leaves the table and rolls back whatever is not
 * prepared or committed.
 *
 * <p>Thread safety: {@code state}, {@code associations} and {@code timedOut} are guarded by the monitor of
 * the {@link BranchTable} that holds the branch (not annotated {@code @GuardedBy}: Error Prone cannot see that
 * the callers' table is {@link #table}); the transaction is used by one associated connection at a time.
 */
final class Branch {
    final GlobalTxnId xid;
    final Session session;
    final Transaction txn;

    /** When the branch times out (a nanoTime-based millisecond clock), or Long.MAX_VALUE for never. */
    final long deadlineMillis;

    BranchState state = BranchState.ACTIVE;

    int associations;

    boolean timedOut;

    /** The table whose lock guards this branch. */
    final BranchTable table;

    Branch(BranchTable table, GlobalTxnId xid, Session session, Transaction txn, long deadlineMillis) {
        this.table = table;
        this.xid = xid;
        this.session = session;
        this.txn = txn;
        this.deadlineMillis = deadlineMillis;
    }

    /** Rolls the transaction back and marks the branch rollback-only (a timeout when {@code timeout}). */
    void markRollbackOnly(boolean timeout) {
        txn.close();
        state = BranchState.ROLLBACK_ONLY;
        timedOut |= timeout;
    }

    /** Whether the engine rolled the transaction back (after a conflict) or the branch is rollback-only. */
    boolean rolledBack() {
        if (state != BranchState.ROLLBACK_ONLY && txn.state() == TxnState.ROLLED_BACK) {
            state = BranchState.ROLLBACK_ONLY;
        }
        return state == BranchState.ROLLBACK_ONLY;
    }

    /** Closes the branch's session (rolling back an unprepared transaction). */
    void close() {
        try {
            session.close();
        } catch (RuntimeException e) {
            // the engine is closed: it rolled the transaction back already
        }
    }
}
