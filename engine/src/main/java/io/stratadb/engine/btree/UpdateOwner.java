package io.stratadb.engine.btree;

import io.stratadb.api.TxnState;

/**
 * The shared commit state of the transaction that wrote a set of updates: every {@link Update} of a transaction
 * points at one owner, so committing or aborting the transaction is a single state change readers observe.
 *
 * <p>Invariants: (1) {@code commitSeq}, {@code commitTs} and {@code durableTs} are written before {@code state}
 * becomes COMMITTED (the volatile write of {@code state} publishes them); (2) {@code prepareTs} is written before
 * {@code state} becomes PREPARED; (3) state changes follow {@link TxnState#canMoveTo}; (4) {@link #GLOBAL} is
 * committed at sequence 0 and timestamp 0, visible to every reader.
 *
 * <p>Thread safety: fields are written by the owning transaction's thread (under the commit lock for COMMITTED)
 * and read by any thread; readers read {@code state} first.
 */
public final class UpdateOwner {
    /** The owner of globally visible updates (recovery's committed history is not global; see seed 004). */
    public static final UpdateOwner GLOBAL = committed(0, 0, 0, 0);

    /**
     * The owner of eviction markers: rolled back, so every reader skips a marker and reads the versions below it,
     * while writers recognise it ({@link Slot#gone}) and look the key up again.
     */
    public static final UpdateOwner EVICTED = rolledBack(-1);

    private final long txnId;
    private volatile TxnState state = TxnState.ACTIVE;
    private volatile long commitSeq;
    private volatile long commitTs;
    private volatile long durableTs;
    private volatile long prepareTs;

    public UpdateOwner(long txnId) {
        this.txnId = txnId;
    }

    /** An owner that is already committed (recovery replay, the global owner). */
    public static UpdateOwner committed(long txnId, long seq, long commitTs, long durableTs) {
        UpdateOwner o = new UpdateOwner(txnId);
        o.publishCommit(seq, commitTs, durableTs);
        return o;
    }

    private static UpdateOwner rolledBack(long txnId) {
        UpdateOwner o = new UpdateOwner(txnId);
        o.publishRollback();
        return o;
    }

    public long txnId() {
        return txnId;
    }

    public TxnState state() {
        return state;
    }

    public long commitSeq() {
        return commitSeq;
    }

    public long commitTs() {
        return commitTs;
    }

    public long durableTs() {
        return durableTs;
    }

    public long prepareTs() {
        return prepareTs;
    }

    /** Marks the owner prepared at {@code ts}. */
    public void publishPrepare(long ts) {
        prepareTs = ts;
        state = TxnState.PREPARED;
    }

    /** Marks the owner committed; readers whose snapshot includes {@code seq} see its updates from now on. */
    public void publishCommit(long seq, long commit, long durable) {
        commitSeq = seq;
        commitTs = commit;
        durableTs = durable;
        state = TxnState.COMMITTED;
    }

    /** Marks the owner rolled back: readers skip its updates from now on. */
    public void publishRollback() {
        state = TxnState.ROLLED_BACK;
    }

    @Override
    public String toString() {
        return "txn " + txnId + " " + state;
    }
}
