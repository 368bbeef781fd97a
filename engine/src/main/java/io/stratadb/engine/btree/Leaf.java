package io.stratadb.engine.btree;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A leaf page version: slots in key order, the page's shared {@link PageMeta}, and the search aid of its keys.
 *
 * <p>A version holds the first {@link #size()} entries of its slot array. A leaf split off by an ascending insert
 * (a sequence, a time) gets arrays with room for a full node; each later key past its end is written into the
 * room and a new version over the same arrays describes one entry more ({@link #appended}), so an append copies
 * neither the slots nor the heads. Only the newest version of a page appends: the shared {@link Room} records
 * how many entries the arrays' versions have claimed.
 *
 * <p>Invariants: (1) slot keys strictly increase; (2) entries below {@code count} are never mutated after
 * construction; (3) {@code heads} describes exactly the keys of {@code slots[0, count)}; (4) a version appends
 * only when its count equals its room's claimed count.
 *
 * <p>Thread safety: immutable as far as any reader can see (readers stay below {@code count}; the slots are
 * thread-safe), except the access bit {@link #hot}: readers set it with a plain racy write and the evictor clears
 * it (a lost update only delays or hastens one eviction). {@link #appended} runs under the tree's lock.
 */
final class Leaf extends KeyedNode {
    private final Slot[] slots;
    private final int count;
    private final @Nullable Room room;
    final PageMeta meta;

    /**
     * How many entries of a leaf's shared arrays its versions have claimed; written under the tree's lock (the
     * only place it is read).
     */
    static final class Room {
        int claimed;

        Room(int claimed) {
            this.claimed = claimed;
        }
    }

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
        this(slots, slots.length, null, meta, heads, hold);
    }

    private Leaf(Slot[] slots, int count, @Nullable Room room, PageMeta meta, KeyHeads heads, boolean hold) {
        super(heads);
        this.slots = slots;
        this.count = count;
        this.room = room;
        this.meta = meta;
        this.shape = meta.reshape();
        if (hold) {
            for (int i = 0; i < count; i++) {
                slots[i].heldBy(meta); // writes to the slot mark this leaf dirty
            }
        }
    }

    /**
     * A new leaf of {@code slots[from, to)} under {@code meta}, with room for {@code capacity} slots for later
     * appends (a plain copy when the keys cannot take appends, see {@link KeyHeads#withRoom}).
     */
    static Leaf withRoom(Slot[] slots, int from, int to, PageMeta meta, int capacity, KeyHeads plain) {
        KeyHeads kh = KeyHeads.withRoom(slots, from, to, capacity);
        if (kh == null) {
            return new Leaf(Arrays.copyOfRange(slots, from, to), meta, plain);
        }
        Slot[] room = new Slot[capacity];
        System.arraycopy(slots, from, room, 0, to - from);
        return new Leaf(room, to - from, new Room(to - from), meta, kh, true);
    }

    /**
     * The next version of this leaf with {@code slot} (already held by this leaf's meta) after its last key,
     * written into the room of its arrays; null when there is none, or this is not the newest version (the
     * caller then copies). Caller holds the tree's lock.
     */
    @Nullable
    Leaf appended(Slot slot) {
        Room r = room;
        if (r == null || r.claimed != count || count == slots.length) {
            return null;
        }
        KeyHeads kh = heads.appended(slot.key());
        if (kh == null) {
            return null;
        }
        slots[count] = slot;
        r.claimed = count + 1;
        return new Leaf(slots, count + 1, r, meta, kh, false);
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
        return count;
    }

    /** Slot {@code i}, below {@link #size()}. */
    Slot slot(int i) {
        return slots[i];
    }

    /** This version's slots, in key order (an unmodifiable view). */
    List<Slot> slotList() {
        List<Slot> all = Arrays.asList(slots);
        return Collections.unmodifiableList(count == slots.length ? all : all.subList(0, count));
    }

    /** This version's slots as an array the caller must not modify (shared when it has no room). */
    Slot[] slotArray() {
        return count == slots.length ? slots : Arrays.copyOf(slots, count);
    }

    /** Whether this version and {@code other} share their slot array (an append wrote into the room). */
    boolean sharesSlotsWith(Leaf other) {
        return slots == other.slots;
    }

    /** A copy of this version's slots with {@code slot} inserted at {@code at}. */
    Slot[] insertedCopy(int at, Slot slot) {
        Slot[] ns = new Slot[count + 1];
        System.arraycopy(slots, 0, ns, 0, at);
        ns[at] = slot;
        System.arraycopy(slots, at, ns, at + 1, count - at);
        return ns;
    }

    /** A copy of this version's slots without the one at {@code at}. */
    Slot[] removedCopy(int at) {
        Slot[] ns = new Slot[count - 1];
        System.arraycopy(slots, 0, ns, 0, at);
        System.arraycopy(slots, at + 1, ns, at, ns.length - at);
        return ns;
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
