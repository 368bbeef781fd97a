package io.stratadb.engine.btree;

/**
 * The root-to-leaf path to a key: the internal nodes passed, the child index taken in each, and the node reached
 * (a leaf or a stub).
 *
 * <p>Invariants: {@code path[i].children[idx[i]]} is {@code path[i + 1]} (or {@code node} for the last level) as
 * of the root the descent started from.
 *
 * <p>Thread safety: confined to the thread holding the tree lock.
 */
final class Descent {
    final Internal[] path;
    final int[] idx;
    final int depth;
    final Node node;

    Descent(Internal[] path, int[] idx, int depth, Node node) {
        this.path = path;
        this.idx = idx;
        this.depth = depth;
        this.node = node;
    }
}
