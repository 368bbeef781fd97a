package io.stratadb.engine.txn;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.TxnState;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The pruning horizon of one engine: the oldest state a present or future reader, or a running checkpoint, can
 * still need, and the pruning of update chains below it.
 *
 * <p>A committed version at or below the horizon (commit sequence, commit timestamp and durable timestamp all at
 * or below it) hides every older version of its key from every reader there will ever be, so those older
 * versions are dropped. The horizon is recomputed from the live transactions every few commits; a checkpoint
 * pins it at its consistent point while it writes pages.
 *
 * <p>Invariants: (1) the horizon never passes the snapshot of a live transaction, the read timestamp of one, the
 * stable timestamp, or a pinned checkpoint point; (2) a transaction with a read timestamp registers under {@link
 * #lock} after checking it against oldest, so a concurrent recomputation that raises oldest (AUTO mode) either
 * sees it or makes it fail with INVALID_TIMESTAMP; (3) a beginning transaction publishes itself in the live set
 * before it confirms its snapshot (it reads the visible sequence again after publishing, and starts over with the
 * new one if it moved; see {@link TxnManager#begin}), and a recomputation reads the visible sequence before it
 * scans the live set: so a transaction the scan misses confirmed a snapshot at or above the sequence the
 * recomputation read, which bounds the horizon (no wait for beginning transactions, no shared counter).
 *
 * <p>Thread safety: thread-safe; {@link #horizon} is replaced whole (volatile), the rest is guarded by {@link
 * #lock}.
 */
public final class PruneHorizon {
    private final TimestampMode mode;
    private final LiveTxns live;
    private final AtomicLong stable;
    private final AtomicLong oldest;
    private final LongSupplier visibleSeq;
    private final Object lock = new Object();
    private volatile Horizon horizon = new Horizon(0, 0, 0);

    @GuardedBy("lock")
    private long checkpointPinSeq = Long.MAX_VALUE;

    @GuardedBy("lock")
    private long checkpointPinTs = Long.MAX_VALUE;

    /**
     * The oldest state any present or future reader can need.
     *
     * @param seq minimum snapshot sequence of live transactions (or the visible sequence)
     * @param ts minimum read timestamp that may still be used
     * @param stable the stable timestamp then (rollback to stable never undoes a version durable at or below it)
     */
    record Horizon(long seq, long ts, long stable) {
        boolean covers(UpdateOwner o) {
            return o.commitSeq() <= seq && o.commitTs() <= ts && o.durableTs() <= stable;
        }
    }

    PruneHorizon(TimestampMode mode, LiveTxns live, AtomicLong stable, AtomicLong oldest, LongSupplier visibleSeq) {
        this.mode = mode;
        this.live = live;
        this.stable = stable;
        this.oldest = oldest;
        this.visibleSeq = visibleSeq;
    }

    /**
     * Registers a new transaction with read timestamp {@code readTs} (not 0) through {@code register}, unless
     * {@code readTs} is before oldest: then it fails with INVALID_TIMESTAMP.
     */
    Txn begin(long readTs, Supplier<Txn> register) {
        synchronized (lock) {
            long old = oldest.get();
            if (readTs < old) {
                throw new StrataException(
                        ErrorCode.INVALID_TIMESTAMP,
                        "read timestamp " + readTs + " is before the oldest timestamp " + old);
            }
            return register.get();
        }
    }

    /** The horizon now (tests check it against live snapshots). */
    Horizon current() {
        return horizon;
    }

    /**
     * Recomputes the horizon. In AUTO mode it also moves oldest up to the horizon's timestamp: history before
     * stable is not kept, except what live readers use.
     */
    public void refresh() {
        synchronized (lock) {
            refreshLocked();
        }
    }

    @GuardedBy("lock")
    private void refreshLocked() {
        long seqNow = visibleSeq.getAsLong(); // before the scan: see invariant (3)
        long minSeq = seqNow;
        long minReadTs = Long.MAX_VALUE;
        for (int i = 0, n = live.capacity(); i < n; i++) { // every few dozen commits: no listing allocated
            Txn t = live.at(i);
            if (t == null) {
                continue;
            }
            minSeq = Math.min(minSeq, t.view().snapshotSeq());
            long rt = t.options().readTimestamp();
            if (rt != 0) {
                minReadTs = Math.min(minReadTs, rt);
            }
        }
        long st = stable.get();
        long ts;
        if (mode == TimestampMode.AUTO) {
            ts = Math.min(st, minReadTs);
            oldest.accumulateAndGet(ts, Math::max);
        } else {
            ts = Math.min(oldest.get(), minReadTs);
        }
        // a running checkpoint needs, per key, the newest version at or below its point: keep it
        horizon = new Horizon(
                Math.min(minSeq, checkpointPinSeq), Math.min(ts, checkpointPinTs), Math.min(st, checkpointPinTs));
    }

    /**
     * Pins the horizon at a checkpoint's consistent point (commit sequence {@code seq}, checkpoint timestamp
     * {@code ts}) until {@link #unpinCheckpoint()}, so that no version the checkpoint selects is pruned or folded
     * away while it writes pages. A fold or prune still running with the horizon it read before the pin is safe:
     * every horizon computed before is at or below the point of any later checkpoint (the visible sequence, stable
     * and oldest never move back); the pin stops later refreshes from passing the point.
     */
    public void pinCheckpoint(long seq, long ts) {
        synchronized (lock) {
            checkpointPinSeq = seq;
            checkpointPinTs = ts;
            Horizon h = horizon;
            horizon = new Horizon(Math.min(h.seq(), seq), Math.min(h.ts(), ts), Math.min(h.stable(), ts));
        }
    }

    /** Releases the pin of {@link #pinCheckpoint}. */
    public void unpinCheckpoint() {
        synchronized (lock) {
            checkpointPinSeq = Long.MAX_VALUE;
            checkpointPinTs = Long.MAX_VALUE;
        }
    }

    /**
     * Whether every present and future reader sees the updates of committed {@code o} (it is at or below the
     * horizon): what the cache requires of a version before its leaf may be evicted.
     */
    public boolean visibleToAll(UpdateOwner o) {
        return o.state() == TxnState.COMMITTED && horizon.covers(o);
    }

    /**
     * The writer's pruning step for {@code slot}, whose chain starts at {@code head}: the first committed update
     * below the head that every present and future reader sees is folded into the slot ({@link Slot#fold}),
     * dropping it and everything older from the chain.
     */
    void prune(Slot slot, Update head) {
        foldFirstCovered(slot, head.next());
    }

    /**
     * Folds {@code u} of {@code slot} if it is committed, not aborted and at or below the horizon; returns false
     * when it is not (yet) at or below it. Otherwise (folded, or no longer in the chain) returns true.
     */
    boolean foldIfCovered(Slot slot, Update u) {
        if (u.isAborted()) {
            return true;
        }
        UpdateOwner o = u.owner();
        TxnState st = o.state();
        if (st != TxnState.COMMITTED) {
            return st == TxnState.ROLLED_BACK;
        }
        if (!horizon.covers(o)) {
            return false;
        }
        fold(slot, u, o);
        return true;
    }

    /**
     * Folds the newest update of {@code slot}'s chain that every present and future reader sees (a chain loaded
     * from a checkpoint or replayed from the log at recovery, which no commit has offered for folding).
     */
    void foldNewestCovered(Slot slot) {
        foldFirstCovered(slot, slot.head());
    }

    /**
     * Folds the first committed update from {@code from} down {@code slot}'s chain that the horizon covers; stops
     * at the first update that is not committed (prepared or active: nothing below it may be folded past it).
     */
    private void foldFirstCovered(Slot slot, @Nullable Update from) {
        Horizon h = horizon;
        for (Update u = from; u != null; u = u.next()) {
            if (u.isAborted()) {
                continue;
            }
            UpdateOwner o = u.owner();
            if (o.state() != TxnState.COMMITTED) {
                return;
            }
            if (h.covers(o)) {
                fold(slot, u, o);
                return;
            }
        }
    }

    private static void fold(Slot slot, Update u, UpdateOwner o) {
        if (o.commitTs() == o.durableTs()) {
            slot.fold(u, o.commitTs());
        } else {
            u.truncateBelow(); // the folded form keeps one timestamp: keep the update, drop what is older
        }
    }
}
