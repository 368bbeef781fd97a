package io.stratadb.engine.btree;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The rebuild of a root-to-leaf path after an insert replaced its leaf, splitting internal nodes that overflow.
 *
 * <p>Only the levels that split are rebuilt: the lowest node that gains no child takes its changed child's new
 * version by {@link Internal#swapChild} (one release store), and every node above it stays as it is. An insert
 * that splits nothing (63 of 64 appends with the default node size) therefore copies its leaf and no internal
 * node.
 *
 * <p>Invariants: (1) every node built has at most {@code maxNode} children and at least two; (2) a split gives
 * two halves, except along the tree's right edge after an append, where the full node stays as it is and the new
 * right node starts with two children (ascending inserts then leave full internal nodes behind); (3) a swap
 * replaces a child by a node over the same key range (a new version of that subtree).
 *
 * <p>Thread safety: stateless; callers hold the tree's lock and publish the returned root (the same root when
 * the change ended in a swap).
 */
final class InsertPath {
    private InsertPath() {}

    /** Whether the descent {@code path}/{@code idx} took the last child at every level. */
    static boolean onRightEdge(Internal[] path, int[] idx, int depth) {
        for (int d = 0; d < depth; d++) {
            if (idx[d] != path[d].children.length - 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * The root after the leaf under {@code path[depth - 1]} at {@code idx[depth - 1]} became {@code replacement},
     * plus {@code right} after it with separator {@code sep} when the leaf split: {@code path[0]} itself when a
     * level took the change by a swap, else a new root.
     */
    static Node rebuild(
            Internal[] path,
            int[] idx,
            int depth,
            Node leafReplacement,
            @Nullable Node leafRight,
            byte[] leafSep,
            boolean append,
            int maxNode) {
        Node replacement = leafReplacement;
        Node right = leafRight;
        byte[] sep = leafSep;
        for (int d = depth - 1; d >= 0; d--) {
            Internal p = path[d];
            int i = idx[d];
            if (right == null) {
                p.swapChild(i, replacement);
                return path[0];
            }
            byte[][] seps = Internal.insertAt(p.seps, i, sep);
            Node[] children = new Node[p.children.length + 1];
            System.arraycopy(p.children, 0, children, 0, i);
            children[i] = replacement;
            children[i + 1] = right;
            System.arraycopy(p.children, i + 1, children, i + 2, p.children.length - i - 1);
            if (children.length > maxNode) {
                int m = append ? children.length - 2 : children.length / 2;
                replacement = new Internal(Arrays.copyOfRange(seps, 0, m - 1), Arrays.copyOfRange(children, 0, m));
                right = new Internal(
                        Arrays.copyOfRange(seps, m, seps.length), Arrays.copyOfRange(children, m, children.length));
                sep = seps[m - 1];
            } else {
                KeyHeads kh = p.heads.inserted(i, sep);
                replacement = new Internal(seps, children, kh != null ? kh : KeyHeads.of(seps));
                right = null;
            }
        }
        if (right != null) {
            replacement = new Internal(new byte[][] {sep}, new Node[] {replacement, right});
        }
        return replacement;
    }
}
