package io.stratadb.engine.btree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A node of the copy-on-write B+tree: a {@link Leaf}, an {@link Internal} node or an evicted leaf ({@link Stub}).
 *
 * <p>Invariants: leaves and stubs are immutable once published; an internal node's separators are too, and its
 * children change only by a swap for a new version of the same subtree ({@link Internal#swapChild}). Changes
 * build new nodes from the changed leaf up to the first level that takes them by a swap, or up to a new root.
 *
 * <p>Thread safety: see the subclasses; every node is safe to read without a lock.
 */
abstract sealed class Node permits KeyedNode, Stub {
    /** Number of entries (keys of a leaf, children of an internal node). */
    abstract int size();

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Unsigned lexicographic comparison of keys, eight bytes at a time (keys are short: the generic {@link
     * Arrays#compareUnsigned(byte[], byte[])} costs more in set-up than in comparing).
     */
    static int compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = (long) LONGS.get(a, i);
            long y = (long) LONGS.get(b, i);
            if (x != y) {
                return Long.compareUnsigned(x, y);
            }
        }
        for (; i < n; i++) {
            int d = (a[i] & 0xFF) - (b[i] & 0xFF);
            if (d != 0) {
                return d;
            }
        }
        return a.length - b.length;
    }
}
