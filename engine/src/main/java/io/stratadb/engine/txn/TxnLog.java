package io.stratadb.engine.txn;

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
        public long commitLocked(Txn txn, byte @Nullable [] encoded) {
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
        public void awaitDurable(long lsn) {}
    };

    /**
     * Encodes the commit record of an ordinary (not prepared) transaction before the commit lock is taken, with
     * its timestamps left for {@link #commitLocked} to fill in, so that the lock is held only to order and
     * append; null if this log records nothing.
     */
    default byte @Nullable [] encodeCommit(Txn txn) {
        return null;
    }

    /**
     * Records the commit of {@code txn} (ordinary, or of a prepared transaction); {@code encoded} is what
     * {@link #encodeCommit} returned for it (null: encode now).
     */
    long commitLocked(Txn txn, byte @Nullable [] encoded);

    /** Records the prepare of {@code txn} with its writes. */
    long prepareLocked(Txn txn);

    /** Records the rollback of a prepared transaction. */
    long rollbackPreparedLocked(Txn txn);

    /** Records a move of the oldest or stable timestamp (application mode). */
    long timestampsLocked(long oldest, long stable);

    /** Records a rollback to the stable timestamp. */
    long rollbackToStableLocked(long stable);

    /** Waits until the record at {@code lsn} is durable (no-op for 0 or durability none). */
    void awaitDurable(long lsn);
}
