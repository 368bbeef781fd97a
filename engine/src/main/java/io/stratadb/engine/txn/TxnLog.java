package io.stratadb.engine.txn;

import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.HeuristicOutcome;
import io.stratadb.engine.row.ByteSink;
import org.jspecify.annotations.Nullable;

/**
 * Where transactions record themselves durably: the engine's commit log, or nothing.
 *
 * <p>Invariants: the {@code *Locked} methods are called under the transaction manager's commit lock, in commit
 * order, and return the record's LSN (0 when nothing was written); {@link #encodeCommit} is called before the
 * lock is taken and {@link #awaitDurable} after it is released.
 *
 * <p>Thread safety: implementations are thread-safe.
 */
public interface TxnLog {
    /** A log that records nothing (tests, and transactions without writes). */
    TxnLog NONE = new TxnLog() {
        @Override
        public long commitLocked(Txn txn, @Nullable ByteSink encoded) {
            return 0;
        }

        @Override
        public long prepareLocked(Txn txn) {
            return 0;
        }

        @Override
        public long rollbackPreparedLocked(Txn txn) {
            return 0;
        }

        @Override
        public long timestampsLocked(long oldest, long stable) {
            return 0;
        }

        @Override
        public long rollbackToStableLocked(long stable) {
            return 0;
        }

        @Override
        public long heuristicLocked(Txn txn, boolean committed) {
            return 0;
        }

        @Override
        public long rememberHeuristicLocked(HeuristicOutcome outcome) {
            return 0;
        }

        @Override
        public long forgetHeuristicLocked(GlobalTxnId xid) {
            return 0;
        }

        @Override
        public void awaitDurable(long lsn) {}
    };

    /**
     * Encodes the commit record of an ordinary (not prepared) transaction before the commit lock is taken, with
     * its timestamps and checksum left for {@link #commitLocked} to fill in, so that the lock is held only to
     * order and append; null if this log records nothing. The record is the sink's content; the sink may be one
     * the calling thread reuses, so it is valid only until this thread's next call.
     */
    default @Nullable ByteSink encodeCommit(Txn txn) {
        return null;
    }

    /**
     * Records the commit of {@code txn} (ordinary, or of a prepared transaction); {@code encoded} is what
     * {@link #encodeCommit} returned for it on this thread (null: encode now).
     */
    long commitLocked(Txn txn, @Nullable ByteSink encoded);

    /** Records the prepare of {@code txn} with its writes. */
    long prepareLocked(Txn txn);

    /** Records the rollback of a prepared transaction. */
    long rollbackPreparedLocked(Txn txn);

    /** Records a move of the oldest or stable timestamp (application mode). */
    long timestampsLocked(long oldest, long stable);

    /** Records a rollback to the stable timestamp. */
    long rollbackToStableLocked(long stable);

    /** Records the heuristic completion of the prepared transaction {@code txn} (resolving it). */
    long heuristicLocked(Txn txn, boolean committed);

    /** Records a reminder of a heuristic outcome still remembered (after a rollback to stable). */
    long rememberHeuristicLocked(HeuristicOutcome outcome);

    /** Records that the heuristic outcome of {@code xid} is forgotten. */
    long forgetHeuristicLocked(GlobalTxnId xid);

    /** Waits until the record at {@code lsn} is durable (no-op for 0 or durability none). */
    void awaitDurable(long lsn);
}
