package io.stratadb.engine.layered;

import io.stratadb.api.TxnState;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ingest garbage collection: drops the ingest versions a picked-up checkpoint covers, once no reader of an
 * older stable set is left (the caller's condition).
 *
 * <p>A version is covered by a checkpoint at timestamp {@code ts} when it is aborted, or committed with a
 * durable timestamp at or below {@code ts} (the globally visible tombstone included): a precise checkpoint holds
 * exactly those. Per key, the longest covered tail of the chain is cut off (with the folded version, if covered;
 * a tree folds while it serves a leader and becomes an ingest tree at a step-down); a key whose whole chain is
 * covered leaves the ingest tree, and reads find it in the stable tree. Versions not covered (newer commits, prepared
 * updates) and everything above them stay.
 *
 * <p>Invariants: (1) never removes a version that is not covered; (2) runs on the thread that applies the log,
 * so no version is prepended to ingest meanwhile (a changed head makes the key be skipped).
 *
 * <p>Thread safety: readers may run concurrently; only one pruner or log applier at a time.
 */
public final class IngestPruner {
    private IngestPruner() {}

    /** Prunes {@code ingest} against a checkpoint at {@code checkpointTs}; returns the number of keys removed. */
    public static long prune(BTree ingest, long checkpointTs) {
        List<Slot> removable = new ArrayList<>();
        ingest.forEachSlot(s -> {
            Update head = s.head();
            if (head == Slot.REMOVED) {
                return;
            }
            Update lastKept = null;
            for (Update u = head; u != null; u = u.next()) {
                if (!covered(u, checkpointTs)) {
                    lastKept = u;
                }
            }
            if (lastKept == null) {
                if (head != null || s.base() != null) {
                    removable.add(s);
                }
                return;
            }
            if (lastKept.next() != null) {
                lastKept.truncateBelow();
            }
            s.dropBaseAtOrBelow(checkpointTs); // below the kept updates, so no reader needs it either
        });
        long removed = 0;
        for (Slot s : removable) {
            @Nullable Update head = s.head();
            if (ingest.removeIf(s, head, x -> allCovered(x, checkpointTs))) {
                removed++;
            }
        }
        return removed;
    }

    private static boolean allCovered(Slot s, long ts) {
        for (Update u = s.head(); u != null; u = u.next()) {
            if (!covered(u, ts)) {
                return false;
            }
        }
        synchronized (s) {
            return s.base() == null || s.baseTs() <= ts;
        }
    }

    private static boolean covered(Update u, long ts) {
        if (u.isAborted()) {
            return true;
        }
        UpdateOwner o = u.owner();
        return o.state() == TxnState.COMMITTED && o.durableTs() <= ts;
    }
}
