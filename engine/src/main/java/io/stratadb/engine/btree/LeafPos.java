package io.stratadb.engine.btree;

import org.jspecify.annotations.Nullable;

/**
 * A leaf and its fences as seen by one descent: every key of the leaf is at or above {@code low} and below
 * {@code high} (null = unbounded); and, for stepping to the next leaf without descending again, the root the
 * descent read, the leaf's parent, its index there and the parent's upper fence.
 *
 * <p>Invariants: (1) the fences are the separators that bounded the leaf in the root snapshot the descent read;
 * (2) {@code parent.children[index]} is the leaf in that snapshot or a newer version of it (parent null for a
 * leaf that is the root).
 *
 * <p>Thread safety: immutable.
 */
final class LeafPos {
    final Leaf leaf;
    final byte @Nullable [] low;
    final byte @Nullable [] high;
    private final Node root;
    private final @Nullable Internal parent;
    private final int index;
    private final byte @Nullable [] parentHigh;

    LeafPos(
            Leaf leaf,
            byte @Nullable [] low,
            byte @Nullable [] high,
            Node root,
            @Nullable Internal parent,
            int index,
            byte @Nullable [] parentHigh) {
        this.leaf = leaf;
        this.low = low;
        this.high = high;
        this.root = root;
        this.parent = parent;
        this.index = index;
        this.parentHigh = parentHigh;
    }

    /**
     * The next leaf in key order, as a descent for {@link #high} from {@code currentRoot} would find it, when
     * that is this leaf's next sibling under the same parent (its current version there: a key added without a
     * split swaps the leaf in its parent and keeps the root); null when the tree has a new root since (a key was
     * removed, a page split, merged or was evicted), when the sibling has another parent or is evicted: the
     * caller then descends from the root.
     */
    @Nullable
    LeafPos nextSibling(Node currentRoot) {
        Internal p = parent;
        int next = index + 1;
        if (p == null || currentRoot != root || next >= p.children.length) {
            return null;
        }
        if (!(p.children[next] instanceof Leaf sibling)) {
            return null; // an evicted leaf is read back by a descent
        }
        sibling.touch();
        return new LeafPos(
                sibling, p.seps[index], next < p.seps.length ? p.seps[next] : parentHigh, root, p, next, parentHigh);
    }
}
