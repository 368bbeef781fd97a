package io.stratadb.engine.reconcile;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the records one table's reconciler wrote since the engine opened.
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

    public long fullImages() {
        return fullImages.get();
    }

    public long deltas() {
        return deltas.get();
    }

    public long discards() {
        return discards.get();
    }
}
