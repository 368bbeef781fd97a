package io.stratadb.engine.btree;

/**
 * An internal node: {@code n} children separated by {@code n - 1} keys; child {@code i} holds the keys in
 * {@code [seps[i-1], seps[i])}.
 *
 * <p>Invariants: (1) {@code children.length == seps.length + 1 >= 2} except transiently during a build;
 * (2) separators strictly increase; (3) arrays are never mutated after construction.
 *
 * <p>Thread safety: immutable.
 */
final class Internal extends Node {
    final byte[][] seps;
    final Node[] children;

    Internal(byte[][] seps, Node[] children) {
        this.seps = seps;
        this.children = children;
    }

    @Override
    int size() {
        return children.length;
    }

    /** The child for {@code key}: number of separators {@code <= key} (or {@code < key} when {@code before}). */
    int childIndex(byte[] key, boolean before) {
        int lo = 0;
        int hi = seps.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(seps[mid], key);
            if (c < 0 || (c == 0 && !before)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
