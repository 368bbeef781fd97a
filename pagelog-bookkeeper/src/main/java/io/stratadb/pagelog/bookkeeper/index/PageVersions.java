package io.stratadb.pagelog.bookkeeper.index;

import java.util.ArrayList;
import java.util.List;

/**
 * The retained records of one page id, oldest first.
 *
 * <p>Invariants: (1) LSNs strictly increase along the list; (2) {@code truncated} is set once a reclaim reached the page
 * (older records were, or may have been, dropped), so the bottom full image's backlink may name a record that is gone.
 *
 * <p>Thread safety: not thread-safe; guarded by the owning index's lock.
 */
public final class PageVersions {
    private final ArrayList<PageVersion> versions = new ArrayList<>(4);
    private boolean truncated;

    /** Number of retained records. */
    public int size() {
        return versions.size();
    }

    /** The record at {@code i}. */
    public PageVersion at(int i) {
        return versions.get(i);
    }

    /** The newest record; the list must not be empty. */
    public PageVersion newest() {
        return versions.get(versions.size() - 1);
    }

    /** Whether older records were reclaimed. */
    public boolean truncated() {
        return truncated;
    }

    /** Index of the newest record at or below {@code lsn} (0 = newest), or -1. */
    public int indexAtOrBelow(long lsn) {
        if (lsn == 0) {
            return versions.size() - 1;
        }
        int lo = 0;
        int hi = versions.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (versions.get(mid).lsn() <= lsn) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Index of the record with exactly {@code lsn}, or -1. */
    public int indexOf(long lsn) {
        int i = indexAtOrBelow(lsn);
        return i >= 0 && versions.get(i).lsn() == lsn ? i : -1;
    }

    /** Adds {@code v}, or replaces the record with its LSN (a relocated copy). */
    public void put(PageVersion v) {
        int i = indexAtOrBelow(v.lsn());
        if (i >= 0 && versions.get(i).lsn() == v.lsn()) {
            versions.set(i, v);
        } else {
            versions.add(i + 1, v);
        }
    }

    /** Notes that older records may be gone (reclaimed, or relocated without their predecessors). */
    public void markTruncated() {
        truncated = true;
    }

    /** Drops records above {@code lsn}. */
    public void removeAbove(long lsn) {
        while (!versions.isEmpty() && newest().lsn() > lsn) {
            versions.remove(versions.size() - 1);
        }
    }

    /**
     * Drops what no read at or after {@code checkpointLsn} needs: everything at or below it if the page is
     * discarded there, else the records older than the full image of its chain there.
     */
    public void reclaim(long checkpointLsn) {
        int top = indexAtOrBelow(checkpointLsn);
        if (top < 0) {
            return;
        }
        PageVersion v = versions.get(top);
        int keepFrom;
        if (v.isDiscard()) {
            keepFrom = top + 1;
        } else {
            keepFrom = indexOf(v.fullLsn());
            if (keepFrom < 0) {
                keepFrom = 0; // a broken chain: keep everything, get() reports it
            }
        }
        versions.subList(0, keepFrom).clear();
        // the chain at the checkpoint may have lost its predecessors, here or (for a node that replays only the
        // ledgers left after a deletion) before this node ever saw them
        truncated = true;
    }

    /** A copy of the records, oldest first. */
    public List<PageVersion> all() {
        return new ArrayList<>(versions);
    }
}
