package io.stratadb.engine.reconcile;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the records one table's reconciler wrote, and of the leaves it examined, since the engine opened.
 *
 * <p>Invariants: counters only grow (records of failed passes are counted too: they were written, then
 * abandoned).
 *
 * <p>Thread safety: thread-safe.
 */
public final class ReconcileStats {
    final AtomicLong fullImages = new AtomicLong();
    final AtomicLong deltas = new AtomicLong();
    final AtomicLong discards = new AtomicLong();
    final AtomicLong leavesReconciled = new AtomicLong();
    final AtomicLong skippedTables = new AtomicLong();

    public long fullImages() {
        return fullImages.get();
    }

    public long deltas() {
        return deltas.get();
    }

    public long discards() {
        return discards.get();
    }

    /** Leaves whose precise image passes computed (dirty or new leaves; clean ones are carried over). */
    public long leavesReconciled() {
        return leavesReconciled.get();
    }

    /** Passes that found no dirty leaf in the table and walked nothing. */
    public long skippedTables() {
        return skippedTables.get();
    }
}
