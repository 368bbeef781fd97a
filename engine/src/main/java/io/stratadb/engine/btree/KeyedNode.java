package io.stratadb.engine.btree;

/**
 * A node with sorted keys (a {@link Leaf}'s slot keys or an {@link Internal} node's separators) and their search
 * aid, {@link KeyHeads}.
 *
 * <p>The aid's hot fields (prefix word and mask, skip, common length, heads array) are copied into the node, so
 * a lookup reads the node and its heads array but not the aid object: one dependent cache miss less per level.
 * Once a tree outgrows the CPU caches, those misses are most of what a point lookup costs.
 *
 * <p>Invariants: the copied fields equal the aid's; never mutated after construction.
 *
 * <p>Thread safety: immutable.
 */
abstract sealed class KeyedNode extends Node permits Leaf, Internal {
    /** The search aid of the node's keys. */
    final KeyHeads heads;

    private final long[] hs;
    /** The number of keys ({@code hs} may have room beyond them, see {@link KeyHeads#count}). */
    private final int n;

    private final long prefixWord;
    private final long prefixMask;
    private final int skip;
    private final int sameLength;

    /** The first head, from which {@link #scale} interpolates. */
    private final long firstHead;

    /**
     * Positions per unit of head above {@link #firstHead}: {@code (n - 1) / (last head - first head)}, or 0 when the
     * node is too small for a guess to pay or all its heads are equal.
     */
    private final double scale;

    KeyedNode(KeyHeads heads) {
        this.heads = heads;
        this.hs = heads.heads;
        this.prefixWord = heads.prefixWord;
        this.prefixMask = heads.prefixMask;
        this.skip = heads.skip;
        this.sameLength = heads.sameLength;
        int n = heads.count;
        this.n = n;
        this.firstHead = n == 0 ? 0 : hs[0];
        long span = n == 0 ? 0 : hs[n - 1] - firstHead;
        this.scale = n < MIN_GUESS || span == 0 ? 0 : (n - 1) / unsigned(span);
    }

    /** Nodes with fewer keys than this search without a guess. */
    static final int MIN_GUESS = 8;

    /**
     * How far past a wrong guess the search looks before it falls back to halving the remaining range: a guess
     * within this many keys of the answer costs one or two cache lines of heads.
     */
    static final int WINDOW = 8;

    private static double unsigned(long x) {
        return x >= 0 ? (double) x : ((x >>> 1) | (x & 1)) * 2.0;
    }

    /** Key {@code i}; read only when heads tie and the lengths do not decide. */
    abstract byte[] keyAt(int i);

    /**
     * Where {@code key} stands among the node's keys: {@code 2 * i + 1} when key {@code i} equals it, else {@code
     * 2 * i} where {@code i} is the number of keys below it.
     */
    final int locate(byte[] key) {
        int n = this.n;
        int skip = this.skip;
        if (skip != 0) {
            long kw = KeyHeads.head(key, 0) & prefixMask;
            if (kw != prefixWord) {
                return Long.compareUnsigned(kw, prefixWord) < 0 ? 0 : 2 * n;
            }
            // The word matched. A longer prefix decides on its remaining bytes. A key shorter than a prefix of at
            // most 8 bytes needs no check: its zero-padded head is at most every key's head, and ties go by length.
            if (skip > 8) {
                int po = heads.prefixOrder(key);
                if (po != 0) {
                    return po < 0 ? 0 : 2 * n;
                }
            }
        }
        long h = KeyHeads.head(key, skip);
        int lo = 0;
        int hi = n - 1;
        double scale = this.scale;
        if (scale != 0) {
            // Interpolate: keys spread evenly over their heads (consecutive integers, timestamps) are found at the
            // first probe, one cache line of heads instead of one per halving.
            long off = h - firstHead;
            int g = Long.compareUnsigned(h, firstHead) <= 0 ? 0 : (int) Math.min(n - 1, unsigned(off) * scale);
            int c = order(g, h, key);
            if (c == 0) {
                return 2 * g + 1;
            }
            int e;
            if (c < 0) {
                lo = g + 1;
                e = Math.min(g + WINDOW, hi);
            } else {
                hi = g - 1;
                e = Math.max(g - WINDOW, lo);
            }
            if (lo <= hi) {
                int ce = order(e, h, key);
                if (ce == 0) {
                    return 2 * e + 1;
                }
                if (ce < 0) {
                    lo = e + 1;
                } else {
                    hi = e - 1;
                }
            }
        }
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = order(mid, h, key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return 2 * mid + 1;
            }
        }
        return 2 * lo;
    }

    /** The order of key {@code i} against {@code key}, whose head is {@code h}. */
    private int order(int i, long h, byte[] key) {
        int c = Long.compareUnsigned(hs[i], h);
        if (c == 0) {
            c = KeyHeads.tieOrder(sameLength >= 0 ? sameLength : heads.length(i), skip, key);
            if (c == Integer.MIN_VALUE) {
                c = compare(keyAt(i), key);
            }
        }
        return c;
    }
}
