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
final class Leaf extends KeyedNode {
    final Slot[] slots;
    final PageMeta meta;

    /** The meta's shape when this version was built ({@link PageMeta#shape()}). */
    final int shape;

    /** The clock access bit: set by reads (only when clear), cleared by the evictor's sweep. */
    boolean hot = true;

    Leaf(Slot[] slots, PageMeta meta) {
        this(slots, meta, KeyHeads.ofSlots(slots));
    }

    /** A leaf whose search aid {@code heads} was derived from another's (it must match {@code slots}). */
    Leaf(Slot[] slots, PageMeta meta, KeyHeads heads) {
        this(slots, meta, heads, true);
    }

    private Leaf(Slot[] slots, PageMeta meta, KeyHeads heads, boolean hold) {
        super(heads);
        this.slots = slots;
        this.meta = meta;
        this.shape = meta.reshape();
        if (hold) {
            for (Slot s : slots) {
                s.heldBy(meta); // writes to the slot mark this leaf dirty
            }
        }
    }

    /**
     * A new version of a leaf whose slots are all held by {@code meta} already (a key added after {@link
     * Slot#heldBy}, a key removed, a left half that keeps its meta): no slot is read, so changing a leaf whose
     * slots are not in the CPU cache costs no miss per slot.
     */
    static Leaf ofHeld(Slot[] slots, PageMeta meta, KeyHeads heads) {
        return new Leaf(slots, meta, heads, false);
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
        int r = locate(key);
        return (r & 1) != 0 ? r >>> 1 : -(r >>> 1) - 1;
    }

    @Override
    byte[] keyAt(int i) {
        return slots[i].key();
    }

    /** Index of the first key {@code >= key}. */
    int lowerBound(byte[] key) {
        int i = search(key);
        return i >= 0 ? i : -i - 1;
    }
}
