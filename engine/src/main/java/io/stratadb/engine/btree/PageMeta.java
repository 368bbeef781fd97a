package io.stratadb.engine.btree;

/**
 * The identity and page-log bookkeeping of one leaf page, shared by every copy-on-write version of that leaf;
 * the unit reconciliation (issue #4) will write to the page log.
 *
 * <p>Invariants: (1) {@code pageId} is 0 until the page is first written; it changes only by {@link #invalidate()} (its blocks
 * were discarded) followed by a write under a fresh id; (2) a split gives
 * the new right half a fresh meta, a merge keeps the left one; (3) {@code dirty} is set by every change to the
 * leaf's keys or chains that reconciliation has not yet written.
 *
 * <p>Thread safety: fields are volatile; reconciliation (issue #4) will serialize writers per page.
 */
public final class PageMeta {
    private volatile long pageId;
    private volatile long lastWrittenLsn;
    private volatile long baseLsn;
    private volatile int deltaCount;
    private volatile boolean dirty = true;
    private volatile long bytes;

    public long pageId() {
        return pageId;
    }

    public long lastWrittenLsn() {
        return lastWrittenLsn;
    }

    public long baseLsn() {
        return baseLsn;
    }

    public int deltaCount() {
        return deltaCount;
    }

    /** The bytes the cache last charged for this leaf while resident (written under the tree lock). */
    long bytes() {
        return bytes;
    }

    void bytes(long b) {
        bytes = b;
    }

    public boolean dirty() {
        return dirty;
    }

    public void markDirty() {
        if (!dirty) {
            dirty = true;
        }
    }

    /** Restores the page-log position of this page (after a checkpoint completed, or at recovery). */
    public synchronized void restore(long id, long lsn, long base, int deltas) {
        pageId = id;
        lastWrittenLsn = lsn;
        baseLsn = base;
        deltaCount = deltas;
    }

    /**
     * Forgets this page's id (seed 000): after its blocks were discarded or replaced, the next write must
     * allocate a fresh id whose first full image has backlink 0.
     */
    public synchronized void invalidate() {
        pageId = 0;
        lastWrittenLsn = 0;
        baseLsn = 0;
        deltaCount = 0;
    }

    /** Records a write of this page (full image when {@code delta} is false) at {@code lsn}. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // writers are serialized by synchronized; readers only read
    public synchronized void written(long id, long lsn, boolean delta) {
        pageId = id;
        lastWrittenLsn = lsn;
        if (delta) {
            deltaCount++;
        } else {
            baseLsn = lsn;
            deltaCount = 0;
        }
        dirty = false;
    }
}
