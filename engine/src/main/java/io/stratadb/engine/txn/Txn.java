package io.stratadb.engine.txn;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.StrataException;
import io.stratadb.api.TransactionOptions;
import io.stratadb.api.TxnState;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.ReadView;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.TreeCursor;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One transaction: its snapshot, its writes (in order) and its timestamps; see {@link TxnState} for the life
 * cycle and {@link TxnManager} for commit ordering.
 *
 * <p>Invariants: (1) every write's update is owned by {@link #owner()} and is at or below the head of its chain
 * until the transaction ends; (2) writes are allowed only while ACTIVE and not read-only; (3) a failed
 * operation changes nothing, except that WRITE_CONFLICT and PREPARE_CONFLICT on a write roll the whole
 * transaction back before they are thrown (they are retryable: the caller runs the transaction again); (4) the
 * commit timestamp may be set before commit only if the transaction is not going to be prepared.
 *
 * <p>Thread safety: not thread-safe: one thread at a time drives a transaction ({@code state} is volatile so
 * other threads can list it).
 */
public final class Txn {
    private final TxnManager mgr;
    private final long id;
    private final UpdateOwner owner;
    private final TransactionOptions options;
    private final ReadView view;
    /** Starts without an array: a single-row transaction grows it to one entry (not the default ten). */
    private final List<Write> writes = new ArrayList<>(0);

    /** The index of this transaction's slot in {@link LiveTxns} (-1 before it takes one). */
    private int liveSlot = -1;

    private volatile TxnState state = TxnState.ACTIVE;
    private volatile long commitTs;
    private volatile long durableTs;
    private volatile long prepareTs;
    private volatile @Nullable GlobalTxnId xid;
    private volatile @Nullable String rollbackReason;
    private volatile boolean retryableRollback;
    private volatile long term;
    private volatile long stableGeneration;

    Txn(TxnManager mgr, long id, TransactionOptions options, long snapshotSeq) {
        this.mgr = mgr;
        this.id = id;
        this.owner = new UpdateOwner(id);
        this.options = options;
        this.view = new ReadView(owner, snapshotSeq, options.readTimestamp(), options.ignorePrepare());
    }

    public long id() {
        return id;
    }

    /** See {@link LiveTxns}: written before the transaction is published there, read after. */
    int liveSlot() {
        return liveSlot;
    }

    void setLiveSlot(int slot) {
        liveSlot = slot;
    }

    public TxnState state() {
        return state;
    }

    public TransactionOptions options() {
        return options;
    }

    public UpdateOwner owner() {
        return owner;
    }

    public ReadView view() {
        return view;
    }

    /** Writes so far, in order (the live list; do not modify). */
    public List<Write> writes() {
        return writes;
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

    public @Nullable GlobalTxnId xid() {
        return xid;
    }

    /** The role term this transaction began in (see the engine's role state); 0 if never set. */
    public long term() {
        return term;
    }

    public void setTerm(long t) {
        term = t;
    }

    /** The generation of the stable set a follower transaction reads (0 on a leader). */
    public long stableGeneration() {
        return stableGeneration;
    }

    public void setStableGeneration(long g) {
        stableGeneration = g;
    }

    /** Why the engine rolled this transaction back, if it did. */
    public @Nullable String rollbackReason() {
        return rollbackReason;
    }

    void setState(TxnState next) {
        state.checkTransition(next);
        state = next;
    }

    void setTimestamps(long commit, long durable) {
        commitTs = commit;
        durableTs = durable;
    }

    void setPrepared(long ts, @Nullable GlobalTxnId x) {
        prepareTs = ts;
        xid = x;
    }

    void setCommitTsOnly(long ts) {
        commitTs = ts;
    }

    /** Throws INVALID_TRANSACTION_STATE unless the transaction is ACTIVE. */
    public void checkActive(String op) {
        if (state != TxnState.ACTIVE) {
            failInactive(op);
        }
    }

    /**
     * As {@link #checkActive(String)} for operation {@code verb} on table {@code table} ("update of" T): the
     * message is built only on failure, so the per-row check allocates nothing.
     */
    public void checkActive(String verb, String table) {
        if (state != TxnState.ACTIVE) {
            failInactive(verb + " " + table);
        }
    }

    private void failInactive(String op) {
        TxnState s = state;
        if (s != TxnState.ACTIVE) {
            String why = rollbackReason != null ? " (" + rollbackReason + ")" : "";
            if (s == TxnState.ROLLED_BACK && retryableRollback) {
                throw new StrataException(
                        ErrorCode.TRANSACTION_ROLLED_BACK,
                        op + " in transaction " + id + ", which the engine rolled back" + why + "; run it again");
            }
            throw new StrataException(
                    ErrorCode.INVALID_TRANSACTION_STATE, op + " in transaction " + id + " which is " + s + why);
        }
    }

    /** The visible value of {@code key} in this transaction's view, or null. */
    public byte @Nullable [] read(BTree tree, byte[] key) {
        checkActive("read");
        Slot s = tree.find(key);
        return s == null ? null : view.value(s);
    }

    /** A cursor over {@code [low, high)} in this transaction's view. */
    public TreeCursor cursor(BTree tree, byte @Nullable [] low, byte @Nullable [] high) {
        checkActive("cursor");
        return new TreeCursor(tree, view, low, high);
    }

    /**
     * Writes {@code value} (null = delete) for {@code key}; returns false when the mode's requirement on the
     * current value fails (nothing written). Throws WRITE_CONFLICT or PREPARE_CONFLICT after rolling back.
     */
    public boolean write(long tableId, BTree tree, byte[] key, byte @Nullable [] value, WriteMode mode) {
        checkActive("write");
        if (options.readOnly() || options.ignorePrepare()) {
            throw new StrataException(
                    ErrorCode.READ_ONLY_TRANSACTION,
                    "transaction " + id + " is read-only"
                            + (options.ignorePrepare() ? " (it ignores prepared updates)" : ""));
        }
        while (true) {
            Slot slot = tree.findOrInsert(key);
            Update head = slot.head();
            if (Slot.gone(head)) {
                continue;
            }
            checkConflict(head);
            byte[] current = view.value(head, slot);
            boolean ok = switch (mode) {
                case INSERT -> current == null;
                case UPDATE, DELETE -> current != null;
                case UPSERT -> true;
            };
            if (!ok) {
                if (head == null) {
                    tree.removeIfAllAborted(slot);
                }
                return false;
            }
            Update u = new Update(owner, value, head);
            if (slot.casHead(head, u)) {
                synchronized (writes) { // the engine may roll this transaction back from another thread
                    writes.add(new Write(tableId, tree, slot, u));
                }
                if (head != null) {
                    mgr.horizon().prune(slot, u); // the writer's pruning step: fold what every reader sees
                }
                return true;
            }
        }
    }

    private void checkConflict(@Nullable Update head) {
        for (Update u = head; u != null; u = u.next()) {
            if (u.isAborted()) {
                continue;
            }
            UpdateOwner o = u.owner();
            if (o == owner) {
                return;
            }
            switch (o.state()) {
                case ACTIVE ->
                    throw conflict(
                            ErrorCode.WRITE_CONFLICT,
                            "the key was written by transaction " + o.txnId() + ", still active");
                case PREPARED ->
                    throw conflict(
                            ErrorCode.PREPARE_CONFLICT,
                            "the key is prepared by transaction " + o.txnId() + " at timestamp " + o.prepareTs());
                case COMMITTED -> {
                    if (o.commitSeq() > view.snapshotSeq()) {
                        throw conflict(
                                ErrorCode.WRITE_CONFLICT,
                                "the key was committed by transaction " + o.txnId() + " after this snapshot");
                    }
                    return;
                }
                case ROLLED_BACK -> {
                    // skipped like an aborted update
                }
            }
        }
    }

    private StrataException conflict(ErrorCode code, String why) {
        mgr.rollback(this, "rolled back by a " + code + ": " + why);
        return new StrataException(code, "transaction " + id + ": " + why + "; the transaction was rolled back");
    }

    /** Rolls back on a retryable error met by a read (PREPARE_CONFLICT), then returns the error to throw. */
    public StrataException failRetryable(StrataException e, String context) {
        mgr.rollback(this, "rolled back by a " + e.code());
        return new StrataException(
                e.code(), "transaction " + id + ", " + context + ": " + e.getMessage() + "; rolled back", e);
    }

    /** Whether the transaction has live writes. */
    public boolean hasWrites() {
        for (Write w : writes) {
            if (!w.update().isAborted()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the transaction has live writes; callable from another thread than the owner's. */
    boolean hasWritesShared() {
        synchronized (writes) {
            return hasWrites();
        }
    }

    /** Rewrites each write through {@code f} (step-up: a prepared transaction's writes move to the stable tree). */
    public void replaceWrites(java.util.function.UnaryOperator<Write> f) {
        synchronized (writes) {
            writes.replaceAll(f);
        }
    }

    /** A mark for {@link #rollbackTo}. */
    public long savepoint() {
        checkActive("savepoint");
        return writes.size();
    }

    /** Aborts every write after the mark. */
    public void rollbackTo(long mark) {
        checkActive("rollback to savepoint");
        if (mark < 0 || mark > writes.size()) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "savepoint " + mark + " is not valid in transaction " + id + " (" + writes.size() + " writes)");
        }
        synchronized (writes) {
            for (int i = writes.size() - 1; i >= mark; i--) {
                Write w = writes.remove(i);
                w.update().abort();
                w.tree().removeIfAllAborted(w.slot());
            }
        }
    }

    /** See {@link TxnManager#setCommitTimestamp}. */
    public void setCommitTimestamp(long ts) {
        mgr.setCommitTimestamp(this, ts);
    }

    /** See {@link TxnManager#prepare}. */
    public void prepare(long ts, @Nullable GlobalTxnId x) {
        mgr.prepare(this, ts, x);
    }

    /** See {@link TxnManager#commit}. */
    public void commit(long commit, long durable) {
        mgr.commit(this, commit, durable);
    }

    /** Rolls back an ACTIVE or PREPARED transaction; a finished one is left alone. */
    public void rollback() {
        mgr.rollback(this, null);
    }

    void markRolledBack(@Nullable String reason, boolean retryable) {
        rollbackReason = reason;
        retryableRollback = retryable;
    }
}
