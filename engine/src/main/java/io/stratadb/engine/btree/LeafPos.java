package io.stratadb.engine.btree;

import org.jspecify.annotations.Nullable;

/**
 * A leaf and its fences as seen by one descent: every key of the leaf is at or above {@code low} and below
 * {@code high} (null = unbounded).
 *
 * <p>Invariants: the fences are the separators that bounded the leaf in the root snapshot the descent read.
 *
 * <p>Thread safety: immutable.
 */
final class LeafPos {
    final Leaf leaf;
    final byte @Nullable [] low;
    final byte @Nullable [] high;

    LeafPos(Leaf leaf, byte @Nullable [] low, byte @Nullable [] high) {
        this.leaf = leaf;
        this.low = low;
        this.high = high;
    }
}
