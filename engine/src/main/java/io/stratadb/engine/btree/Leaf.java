package io.stratadb.engine.btree;

/**
 * A leaf page: slots in key order and the page's shared {@link PageMeta}.
 *
 * <p>Invariants: (1) slot keys strictly increase; (2) the array is never mutated after construction.
 *
 * <p>Thread safety: immutable (the slots themselves are thread-safe).
 */
final class Leaf extends Node {
    final Slot[] slots;
    final PageMeta meta;

    Leaf(Slot[] slots, PageMeta meta) {
        this.slots = slots;
        this.meta = meta;
    }

    @Override
    int size() {
        return slots.length;
    }

    /** Index of {@code key}, or {@code -(insertion point) - 1}. */
    int search(byte[] key) {
        int lo = 0;
        int hi = slots.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(slots[mid].key(), key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Index of the first key {@code >= key}. */
    int lowerBound(byte[] key) {
        int i = search(key);
        return i >= 0 ? i : -i - 1;
    }
}
