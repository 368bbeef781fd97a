package io.stratadb.engine.btree;

import org.jspecify.annotations.Nullable;

/**
 * A position over the keys of a {@link BTree} within {@code [low, high)} whose chains have a visible value under
 * one {@link ReadView}.
 *
 * <pre>
 *   UNPOSITIONED --next()/prev() finds a key--> ON --next() runs off the end--> AFTER
 *        ^                                        \--prev() runs off the start--> BEFORE
 *        +-- seek(key) from any state
 * </pre>
 *
 * <p>From AFTER, {@code prev()} moves to the last key; from BEFORE, {@code next()} to the first.
 *
 * <p>Invariants: (1) in state ON, {@link #key()} is within the range and its chain's visible update (as read
 * when the cursor moved there) is a value; (2) a leaf is read as one immutable snapshot; keys inserted into the
 * tree after the cursor read a leaf are not seen until it reads that leaf again (they are, by construction,
 * invisible to the cursor's snapshot unless written by its own transaction).
 *
 * <p>Thread safety: not thread-safe; the tree may change concurrently.
 */
public final class TreeCursor implements KeyCursor {
    private enum State {
        UNPOSITIONED,
        ON,
        BEFORE,
        AFTER
    }

    private final BTree tree;
    private final ReadView view;
    private final byte @Nullable [] low;
    private final byte @Nullable [] high;
    private final boolean tombstones;
    private State state = State.UNPOSITIONED;
    private byte @Nullable [] seekKey;
    private @Nullable LeafPos pos;
    private int idx;
    private byte @Nullable [] current; // the value, or Slot.TOMBSTONE
    private @Nullable Update currentVersion; // tombstone mode only: the version the cursor is on
    private int posLimit; // limit(pos) when known (set by next), -1 when not (set by prev)

    /** A cursor over keys in {@code [low, high)}; null bounds are unbounded. */
    public TreeCursor(BTree tree, ReadView view, byte @Nullable [] low, byte @Nullable [] high) {
        this(tree, view, low, high, false);
    }

    /**
     * A cursor over keys in {@code [low, high)} that, with {@code tombstones}, also stops on keys whose visible
     * update is a tombstone (a layered cursor needs them: a delete in ingest hides the stable row).
     */
    public TreeCursor(BTree tree, ReadView view, byte @Nullable [] low, byte @Nullable [] high, boolean tombstones) {
        this.tree = tree;
        this.view = view;
        this.low = low;
        this.high = high;
        this.tombstones = tombstones;
    }

    /** Positions before the first key {@code >= key} (and after the last key {@code < key}). */
    @Override
    public void seek(byte[] key) {
        state = State.UNPOSITIONED;
        seekKey = low != null && Node.compare(key, low) < 0 ? low : key;
        pos = null;
    }

    /** Moves to the next visible key; false (state AFTER) at the end of the range. */
    @Override
    public boolean next() {
        if (state == State.AFTER) {
            return false;
        }
        LeafPos p = pos;
        int i;
        if (state == State.ON && p != null) {
            i = idx + 1;
        } else {
            if (state == State.BEFORE) {
                seekKey = null;
            }
            byte[] start = seekKey != null ? seekKey : low;
            if (start == null) {
                p = tree.edge(true);
                i = 0;
            } else {
                p = tree.descend(start, false);
                i = p.leaf.lowerBound(start);
            }
        }
        int limit = (state == State.ON && p == pos && posLimit >= 0) ? posLimit : limit(p);
        while (true) {
            Leaf leaf = p.leaf;
            for (; i < limit; i++) {
                if (look(leaf.slot(i))) {
                    return on(p, i, limit);
                }
            }
            byte[] next = p.high;
            if (limit < leaf.size() || next == null || (high != null && Node.compare(next, high) >= 0)) {
                return end(State.AFTER);
            }
            LeafPos sibling = p.nextSibling(tree.root());
            if (sibling != null) {
                p = sibling;
                i = 0; // every key of the sibling is at or above its low fence, the old high fence
            } else {
                p = tree.descend(next, false);
                i = p.leaf.lowerBound(next);
            }
            limit = limit(p);
        }
    }

    /**
     * The index of the leaf's first key at or above the range's upper bound (its slot count if none is): a
     * forward scan stops there without comparing, or even loading, the keys it passes. One binary search over
     * the leaf's key heads, and none when the leaf's upper fence is within the range.
     */
    private int limit(LeafPos p) {
        byte[] h = high;
        byte[] fence = p.high;
        if (h == null || (fence != null && Node.compare(fence, h) <= 0)) {
            return p.leaf.size();
        }
        return p.leaf.lowerBound(h);
    }

    /** Moves to the previous visible key; false (state BEFORE) at the start of the range. */
    @Override
    public boolean prev() {
        if (state == State.BEFORE) {
            return false;
        }
        LeafPos p = pos;
        int i;
        if (state == State.ON && p != null) {
            i = idx - 1;
        } else {
            if (state == State.AFTER) {
                seekKey = null;
            }
            byte[] start = seekKey != null ? seekKey : high;
            if (start == null) {
                p = tree.edge(false);
                i = p.leaf.size() - 1;
            } else {
                p = tree.descend(start, true);
                i = p.leaf.lowerBound(start) - 1;
            }
        }
        while (true) {
            Leaf leaf = p.leaf;
            if (i >= leaf.size()) {
                i = leaf.size() - 1;
            }
            for (; i >= 0; i--) {
                Slot slot = leaf.slot(i);
                byte[] k = slot.key();
                if (low != null && Node.compare(k, low) < 0) {
                    return end(State.BEFORE);
                }
                if (high != null && Node.compare(k, high) >= 0) {
                    continue;
                }
                if (look(slot)) {
                    return on(p, i, -1); // a later next() computes the leaf's limit
                }
            }
            byte[] prev = p.low;
            if (prev == null || (low != null && Node.compare(prev, low) <= 0)) {
                return end(State.BEFORE);
            }
            p = tree.descend(prev, true);
            i = p.leaf.lowerBound(prev) - 1;
        }
    }

    /**
     * Reads what the view sees of {@code slot} into {@link #current} (and, in tombstone mode, the version itself
     * into {@link #currentVersion}); returns whether the cursor stops there.
     */
    private boolean look(Slot slot) {
        if (!tombstones) {
            byte[] v = view.find(slot);
            current = v;
            return v != null && v != Slot.TOMBSTONE;
        }
        Update u = view.visible(slot.head());
        if (u == null) {
            u = slot.baseVersion(); // a folded version, detached (layered reads compare its timestamp)
        }
        currentVersion = u;
        if (u == null) {
            current = null;
            return false;
        }
        byte[] v = u.value();
        current = v == null ? Slot.TOMBSTONE : v;
        return true;
    }

    private boolean on(LeafPos p, int i, int limit) {
        pos = p;
        posLimit = limit;
        idx = i;
        state = State.ON;
        return true;
    }

    private boolean end(State s) {
        state = s;
        pos = null;
        current = null;
        currentVersion = null;
        return false;
    }

    /** Whether the cursor is on a key. */
    @Override
    public boolean positioned() {
        return state == State.ON;
    }

    /** The current key; only when positioned. */
    @Override
    public byte[] key() {
        LeafPos p = pos;
        if (state != State.ON || p == null) {
            throw new IllegalStateException("cursor not positioned");
        }
        return p.leaf.slot(idx).key();
    }

    /** The current value; only when positioned on a value (not a tombstone). */
    @Override
    public byte[] value() {
        byte[] v = current;
        if (state != State.ON || v == null || v == Slot.TOMBSTONE) {
            throw new IllegalStateException("cursor not positioned on a value");
        }
        return v;
    }

    /**
     * The visible version the cursor is on (a value, or a tombstone), with its timestamps, as read when the cursor
     * moved there; only in tombstone mode and when positioned. A folded version is a detached update.
     */
    public Update update() {
        Update u = currentVersion;
        if (state != State.ON || u == null) {
            throw new IllegalStateException("cursor not positioned (in tombstone mode)");
        }
        return u;
    }
}
