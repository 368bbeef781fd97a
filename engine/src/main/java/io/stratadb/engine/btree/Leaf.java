package io.stratadb.engine.btree;

/**
 * A leaf page: slots in key order, the page's shared {@link PageMeta}, and the search aid of its keys.
 *
 * <p>Invariants: (1) slot keys strictly increase; (2) the array is never mutated after construction; (3) {@code
 * heads} describes exactly the keys of {@code slots}.
 *
 * <p>Thread safety: immutable (the slots themselves are thread-safe), except the access bit {@link #hot}: readers
 * set it with a plain racy write and the evictor clears it (a lost update only delays or hastens one eviction).
 */
final class Leaf extends Node {
    final Slot[] slots;
    final PageMeta meta;
    final KeyHeads heads;

    /** The meta's shape when this version was built ({@link PageMeta#shape()}). */
    final int shape;

    /** The clock access bit: set by reads (only when clear), cleared by the evictor's sweep. */
    boolean hot = true;

    Leaf(Slot[] slots, PageMeta meta) {
        this(slots, meta, KeyHeads.ofSlots(slots));
    }

    /** A leaf whose search aid {@code heads} was derived from another's (it must match {@code slots}). */
    Leaf(Slot[] slots, PageMeta meta, KeyHeads heads) {
        this.slots = slots;
        this.meta = meta;
        this.heads = heads;
        this.shape = meta.reshape();
        for (Slot s : slots) {
            s.heldBy(meta); // writes to the slot mark this leaf dirty
        }
    }

    @Override
    int size() {
        return slots.length;
    }

    /** Sets the access bit; a plain write, and only when it is clear, so hot leaves stay read-only. */
    void touch() {
        if (!hot) {
            hot = true;
        }
    }

    /** Index of {@code key}, or {@code -(insertion point) - 1}. */
    int search(byte[] key) {
        KeyHeads kh = heads;
        int po = kh.prefixOrder(key);
        if (po != 0) {
            return po < 0 ? -1 : -(slots.length + 1);
        }
        long h = KeyHeads.head(key, kh.skip);
        long[] hs = kh.heads;
        int lo = 0;
        int hi = slots.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(hs[mid], h);
            if (c == 0) {
                c = kh.tieOrder(mid, key);
                if (c == Integer.MIN_VALUE) {
                    c = compare(slots[mid].key(), key);
                }
            }
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
