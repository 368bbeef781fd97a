package io.stratadb.engine.txn;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The write sets of recently committed transactions, waiting to be folded into their slots once the pruning horizon
 * passes them (see {@code site/src/site/markdown/btree.md}, "Folded versions").
 *
 * <p>Folding a committed version early, a few dozen commits after it was written, lets its {@code Update} and
 * its transaction's {@code UpdateOwner} die young instead of surviving until the key's next write; a key that is
 * not written again would otherwise keep both for good. Commits offer their write sets here; every horizon refresh
 * (every 64 commits) drains the queue: a transaction at or below the new horizon has its writes folded, one not
 * yet there waits for the next drain, up to {@link #MAX_TRIES} drains. The queue is bounded: write sets offered
 * when it is full are left to the writer's pruning step (the key's next write folds them).
 *
 * <p>Invariants: (1) holds at most {@link #CAPACITY} write sets; (2) only committed transactions' write sets are
 * offered, each once, and never changed afterwards; (3) at most one thread drains at a time (others skip).
 *
 * <p>Thread safety: thread-safe; {@link #offer} and the swap of a drain take {@link #lock}; the folds run
 * outside it.
 */
final class FoldQueue {
    /** The most write sets the queue holds. */
    static final int CAPACITY = 512;

    /** How many drains a write waits for the horizon before it is left to the writer's pruning step. */
    static final int MAX_TRIES = 4;

    private final Object lock = new Object();
    private final AtomicBoolean draining = new AtomicBoolean();

    @GuardedBy("lock")
    private List<Write>[] items = newArray();

    @GuardedBy("lock")
    private byte[] tries = new byte[CAPACITY];

    @GuardedBy("lock")
    private int size;

    /** Used by the one draining thread: the batch being folded. */
    private List<Write>[] batch = newArray();

    private byte[] batchTries = new byte[CAPACITY];

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
                items[size] = writes;
                tries[size++] = 0;
            }
        }
    }

    /** Folds every queued write at or below {@code horizon}'s current horizon; keeps the others for later. */
    void drain(PruneHorizon horizon) {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        try {
            List<Write>[] b = batch;
            byte[] bt = batchTries;
            int n;
            synchronized (lock) {
                n = size;
                batch = items;
                batchTries = tries;
                items = b;
                tries = bt;
                size = 0;
            }
            List<Write>[] work = batch;
            byte[] workTries = batchTries;
            int kept = 0;
            for (int i = 0; i < n; i++) {
                List<Write> w = work[i];
                work[i] = null;
                if (!fold(horizon, w) && workTries[i] + 1 < MAX_TRIES) {
                    work[kept] = w;
                    workTries[kept++] = (byte) (workTries[i] + 1);
                }
            }
            synchronized (lock) {
                for (int i = 0; i < kept; i++) {
                    if (size < CAPACITY) {
                        items[size] = work[i];
                        tries[size++] = workTries[i];
                    }
                    work[i] = null;
                }
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
