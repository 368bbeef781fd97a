package io.stratadb.engine.btree;

import java.util.Arrays;

/**
 * A node of the copy-on-write B+tree: a {@link Leaf} or an {@link Internal} node.
 *
 * <p>Invariants: nodes are immutable once published through the tree's root; changes build new nodes along the
 * path from the changed leaf to the root.
 *
 * <p>Thread safety: immutable.
 */
abstract sealed class Node permits Leaf, Internal {
    /** Number of entries (keys of a leaf, children of an internal node). */
    abstract int size();

    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
