package io.stratadb.engine.btree;

import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * The eviction clock of one tree: a queue of its resident leaves, visited from the head and put back at the tail
 * (a clock whose hand is the queue's head), so the evictor passes over resident leaves only and never walks the
 * tree.
 *
 * <p>An entry names a leaf by its {@link PageMeta} and a route key that a descent follows to reach the leaf's
 * current version. A leaf is (re-)entered when it becomes resident (load, read-back) and when a split or merge
 * changes its key range; each entry carries the meta's stamp at entry time, so only a meta's newest entry is live
 * and older ones are dropped when the hand reaches them.
 *
 * <p>Invariants: (1) every resident leaf of the tree has exactly one live entry; (2) a live entry's route key
 * lies in its leaf's key range (ranges shrink only by splits, which re-enter both halves; a merge keeps the left
 * leaf's low end); (3) the queue holds at most twice the resident leaves plus 64 entries (stale ones are purged).
 *
 * <p>Thread safety: externally synchronized by the tree lock.
 */
final class LeafClock {
    /**
     * One entry.
     *
     * @param meta the leaf's meta
     * @param routeKey a key of the leaf's range (its first key when entered; empty = the leftmost leaf)
     * @param stamp the meta's clock stamp when entered
     */
    @SuppressWarnings("ArrayRecordComponent") // a key shared with the tree, never mutated
    record Entry(PageMeta meta, byte[] routeKey, int stamp) {
        boolean live() {
            return meta.clockStamp == stamp;
        }
    }

    private final ArrayDeque<Entry> queue = new ArrayDeque<>();

    /** Enters {@code leaf} (its meta's older entries become stale). */
    void enter(Leaf leaf, byte[] routeKey, int resident) {
        PageMeta m = leaf.meta;
        m.clockStamp++;
        queue.addLast(new Entry(m, routeKey, m.clockStamp));
        if (queue.size() > 2 * resident + 64) {
            queue.removeIf(e -> !e.live());
        }
    }

    /** Takes the entry at the hand, skipping stale ones; null when empty. */
    @Nullable
    Entry next() {
        Entry e;
        while ((e = queue.pollFirst()) != null) {
            if (e.live()) {
                return e;
            }
        }
        return null;
    }

    /** Puts a live entry back behind the hand. */
    void putBack(Entry e) {
        queue.addLast(e);
    }

    /** Entries in the queue (live and stale). */
    int size() {
        return queue.size();
    }
}
