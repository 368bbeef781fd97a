package io.stratadb.engine.btree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An internal node: {@code n} children separated by {@code n - 1} keys; child {@code i} holds the keys in
 * {@code [seps[i-1], seps[i])}.
 *
 * <p>Invariants: (1) {@code children.length == seps.length + 1 >= 2} except transiently during a build;
 * (2) separators strictly increase; (3) {@code seps} is never mutated after construction, nor is the length of
 * {@code children}; (4) {@code heads} is the search aid of exactly {@code seps}; (5) a child is replaced in
 * place ({@link #swapChild}) only by a new version of the same subtree: the same key range, so every separator
 * stays true.
 *
 * <p>Thread safety: thread-safe. Swaps happen under the tree's lock with a release store; a reader sees either
 * version of the child, each complete (nodes publish their contents through final fields). A reader that holds
 * a node may thus meet a newer version of a child than the one current when it read the root: newer versions
 * keep every key an older one had, except keys whose removal no reader can observe.
 */
final class Internal extends KeyedNode {
    final byte[][] seps;
    final Node[] children;

    Internal(byte[][] seps, Node[] children) {
        this(seps, children, KeyHeads.of(seps));
    }

    /** A node whose search aid {@code heads} was derived from another's (it must match {@code seps}). */
    Internal(byte[][] seps, Node[] children, KeyHeads heads) {
        super(heads);
        this.seps = seps;
        this.children = children;
    }

    private static final VarHandle CHILDREN = MethodHandles.arrayElementVarHandle(Node[].class);

    @Override
    int size() {
        return children.length;
    }

    /** Replaces child {@code i} by {@code version}, a new version of it (caller holds the tree's lock). */
    void swapChild(int i, Node version) {
        CHILDREN.setRelease(children, i, version);
    }

    /** The child for {@code key}: number of separators {@code <= key} (or {@code < key} when {@code before}). */
    int childIndex(byte[] key, boolean before) {
        int r = locate(key);
        return (r & 1) != 0 && !before ? (r >>> 1) + 1 : r >>> 1;
    }

    @Override
    byte[] keyAt(int i) {
        return seps[i];
    }

    /** A copy of {@code a} with {@code v} inserted at {@code i}. */
    static byte[][] insertAt(byte[][] a, int i, byte[] v) {
        byte[][] out = new byte[a.length + 1][];
        System.arraycopy(a, 0, out, 0, i);
        out[i] = v;
        System.arraycopy(a, i, out, i + 1, a.length - i);
        return out;
    }

    /** A copy of {@code a} without entry {@code i}. */
    static byte[][] removeAt(byte[][] a, int i) {
        byte[][] out = new byte[a.length - 1][];
        System.arraycopy(a, 0, out, 0, i);
        System.arraycopy(a, i + 1, out, i, a.length - i - 1);
        return out;
    }
}
