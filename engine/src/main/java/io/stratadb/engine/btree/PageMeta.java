package io.stratadb.engine.btree;

import org.jspecify.annotations.Nullable;

/**
 * The identity and page-log bookkeeping of one leaf page, shared by every copy-on-write version of that leaf;
 * the unit reconciliation (issue #4) will write to the page log.
 *
 * <p>Invariants: (1) {@code pageId} is 0 until the page is first written; it changes only by {@link #invalidate()} (its blocks
 * were discarded) followed by a write under a fresh id; (2) a split gives
 * the new right half a fresh meta, a merge keeps the left one; (3) {@code dirty} is set by every change to the
 * leaf's keys or chains (every successful chain CAS of one of its slots, every structural change) and cleared
 * only by a checkpoint pass that then found nothing left to write later, or by eviction (an evicted leaf equals
 * its block); (4) while the meta belongs to a tree, going from clean to dirty adds it to that tree's {@link
 * DirtyLeaves}.
 *
 * <p>Thread safety: fields are volatile; {@link #clockStamp} is guarded by the owning tree's lock.
 */
public final class PageMeta {
    private volatile long pageId;
    private volatile long lastWrittenLsn;
    private volatile long baseLsn;
    private volatile int deltaCount;
    private volatile boolean dirty = true;
    private volatile long bytes;
    private volatile @Nullable DirtyLeaves owner;

    /** Bumped by every new version of the leaf (copy-on-write), before it is published; see {@link #shape()}. */
    private volatile int shape;

    /** The stamp of this leaf's newest entry in its tree's clock (older entries are stale); under the tree lock. */
    int clockStamp;

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

    /**
     * The number of leaf versions built for this meta so far. A checkpoint pass that cleaned the meta and then
     * read a leaf version of an older shape re-marks it dirty: a key may have arrived after its snapshot.
     */
    public int shape() {
        return shape;
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // leaf versions are built under the tree lock
    int reshape() {
        return ++shape;
    }

    /** Marks the leaf changed; the first change since it was clean adds it to its tree's dirty set. */
    public void markDirty() {
        if (!dirty) {
            dirty = true;
            DirtyLeaves d = owner;
            if (d != null) {
                d.add(this);
            }
        }
    }

    /** Marks the leaf clean: a checkpoint pass is about to write it, or it was evicted. */
    public void clean() {
        dirty = false;
    }

    /** Joins the dirty set of the tree that now holds this leaf (added at once if dirty). */
    void joinTree(DirtyLeaves d) {
        if (owner != d) {
            owner = d;
        }
        if (dirty) {
            d.add(this);
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
