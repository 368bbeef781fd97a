package io.stratadb.engine.btree;

/**
 * The identity and page-log bookkeeping of one leaf page, shared by every copy-on-write version of that leaf;
 * the unit reconciliation (issue #4) will write to the page log.
 *
 * <p>Invariants: (1) {@code pageId} is 0 until the page is first written, then never changes; (2) a split gives
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

    public boolean dirty() {
        return dirty;
    }

    public void markDirty() {
        if (!dirty) {
            dirty = true;
        }
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
