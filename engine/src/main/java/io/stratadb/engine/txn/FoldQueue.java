package io.stratadb.engine.txn;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The write sets of recently committed transactions, waiting to be folded into their slots once the pruning horizon
 * passes them (see {@code site/src/site/markdown/btree.md}, "Folded versions").
 *
 * <p>Folding a committed version early, a few dozen commits after it was written, lets its {@code Update} and
 * its transaction's {@code UpdateOwner} die young instead of surviving until the key's next write; a key that is
 * not written again would otherwise keep both for good. Commits offer their write sets here, in about the order
 * they committed; every horizon refresh (every 64 commits) drains the queue from its oldest write set: each one
 * the new horizon covers is folded, and the drain stops at the first one it does not cover (the newer ones are
 * not covered either, give or take the few commits that offered out of order), which waits for the next drain
 * with everything after it. How far the horizon trails the commits depends on the oldest live snapshot: with
 * more committing threads than cores, a thread descheduled inside its transaction holds it a thousand commits or
 * more behind, so the queue holds {@link #CAPACITY} write sets. Write sets offered when it is full (a long reader
 * holding the horizon back) are left to the writer's pruning step (the key's next write folds them).
 *
 * <p>Invariants: (1) holds at most {@link #CAPACITY} write sets, oldest first; (2) only committed transactions'
 * write sets are offered, each once, and never changed afterwards; (3) at most one thread drains at a time
 * (others skip); (4) a write set leaves the queue only when folded (or found rolled back or already folded).
 *
 * <p>Thread safety: thread-safe; {@link #offer} and the swaps of a drain take {@link #lock}; the folds run
 * outside it.
 */
final class FoldQueue {
    /** The most write sets the queue holds. */
    static final int CAPACITY = 8192;

    private final Object lock = new Object();
    private final AtomicBoolean draining = new AtomicBoolean();

    @GuardedBy("lock")
    private List<Write>[] items = newArray();

    @GuardedBy("lock")
    private int size;

    /** Used by the one draining thread: the write sets being folded. */
    private List<Write>[] batch = newArray();

    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array, never exposed
    private static List<Write>[] newArray() {
        return (List<Write>[]) new List[CAPACITY];
    }

    /** Offers the write set of a transaction that just committed (dropped when the queue is full). */
    void offer(List<Write> writes) {
        if (writes.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (size < CAPACITY) {
                items[size++] = writes;
            }
        }
    }

    /**
     * Folds the queued write sets, oldest first, up to the first one {@code horizon}'s current horizon does not
     * cover; that one and the newer ones stay queued, ahead of what was offered meanwhile.
     */
    void drain(PruneHorizon horizon) {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        try {
            List<Write>[] work;
            int n;
            synchronized (lock) {
                n = size;
                work = items;
                items = batch;
                size = 0;
            }
            int i = 0;
            while (i < n && fold(horizon, work[i])) {
                work[i++] = null;
            }
            synchronized (lock) {
                // the uncovered rest goes back in front of the write sets offered during the folds
                int kept = n - i;
                int room = Math.min(size, CAPACITY - kept);
                System.arraycopy(work, i, work, 0, kept);
                Arrays.fill(work, kept, n, null);
                System.arraycopy(items, 0, work, kept, room);
                Arrays.fill(items, 0, size, null);
                batch = items;
                items = work;
                size = kept + room;
            }
        } finally {
            draining.set(false);
        }
    }

    /** Folds the writes of one transaction; false when it is not at or below the horizon yet. */
    private static boolean fold(PruneHorizon horizon, List<Write> writes) {
        for (int i = 0, n = writes.size(); i < n; i++) {
            Write w = writes.get(i);
            if (!horizon.foldIfCovered(w.slot(), w.update())) {
                return false; // one owner: the others are not covered either
            }
        }
        return true;
    }
}
