package io.stratadb.engine.btree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * The search aid of one node: the byte prefix its keys share, and for each key the eight bytes after that
 * prefix as an unsigned {@code long} (its <em>head</em>, zero-padded), in key order.
 *
 * <p>A binary search compares heads in one contiguous {@code long[]} and reads a key's bytes only when heads tie,
 * so a lookup touches a few cache lines per node instead of one key object per probe. For keys that share the
 * prefix, {@code head(a) < head(b)} implies {@code a < b} (a shorter key pads with zeros, and a proper prefix
 * sorts first); equal heads decide nothing.
 *
 * <p>An aid describes the first {@link #count} entries of its heads array. The array may be longer: room for
 * keys appended later ({@link #appended}), which builds the next aid over the same array instead of copying it.
 *
 * <p>Invariants: (1) every key of the node starts with {@code prefix[0, skip)} (any {@code skip} up to the keys'
 * common prefix is valid; a smaller one only discriminates less); (2) {@code heads[i] == head(key i, skip)} for
 * {@code i < count}; (3) when {@code lengths} is null every key is {@code sameLength} bytes long; (4) entries
 * below {@code count} are never mutated after construction; entries at and above it belong to later aids.
 *
 * <p>Thread safety: immutable as far as any reader of this aid can see (it reads below {@link #count} only);
 * {@link #appended} is called under the owning tree's lock, and the new aid reaches readers through the final
 * fields of the node that holds it.
 */
final class KeyHeads {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] NO_BYTES = new byte[0];

    /** The aid of a node without keys. */
    static final KeyHeads EMPTY = new KeyHeads(0, NO_BYTES, new long[0], 0, null, 0);

    final int skip;
    final byte[] prefix;
    final long[] heads;
    /** The number of keys described: {@code heads[0, count)}. */
    final int count;
    /**
     * The length of every key when they all have one length (fixed-width keys: no per-key array), else -1 and
     * {@code lengths} holds each key's: with equal heads, lengths up to {@code skip + 8} decide without reading
     * keys.
     */
    final int sameLength;

    private final int @Nullable [] lengths;
    /** The first {@code min(skip, 8)} bytes of the prefix, left-aligned, so most checks read no other object. */
    final long prefixWord;
    /** The mask of the bytes of {@link #prefixWord} that belong to the prefix. */
    final long prefixMask;

    private KeyHeads(int skip, byte[] prefix, long[] heads, int sameLength, int @Nullable [] lengths) {
        this(skip, prefix, heads, sameLength, lengths, heads.length);
    }

    private KeyHeads(int skip, byte[] prefix, long[] heads, int sameLength, int @Nullable [] lengths, int count) {
        this.skip = skip;
        this.prefix = prefix;
        this.heads = heads;
        this.count = count;
        this.sameLength = sameLength;
        this.lengths = lengths;
        this.prefixMask = wordMask(skip);
        this.prefixWord = head(prefix, 0) & prefixMask;
    }

    private static long wordMask(int bytes) {
        return bytes >= 8 ? -1L : bytes == 0 ? 0 : -1L << (64 - 8 * bytes);
    }

    /** The aid of sorted {@code keys} (computed afresh: reads every key). */
    static KeyHeads of(byte[][] keys) {
        int n = keys.length;
        if (n == 0) {
            return EMPTY;
        }
        int skip = n == 1 ? keys[0].length : commonPrefix(keys[0], keys[n - 1]);
        long[] hs = new long[n];
        int same = keys[0].length;
        for (int i = 0; i < n; i++) {
            hs[i] = head(keys[i], skip);
            if (keys[i].length != same) {
                same = -1;
            }
        }
        int[] ls = null;
        if (same < 0) {
            ls = new int[n];
            for (int i = 0; i < n; i++) {
                ls[i] = keys[i].length;
            }
        }
        return new KeyHeads(skip, keys[0], hs, same, ls);
    }

    /** The aid of the leaf slots {@code slots} (computed afresh). */
    static KeyHeads ofSlots(Slot[] slots) {
        byte[][] keys = new byte[slots.length][];
        for (int i = 0; i < slots.length; i++) {
            keys[i] = slots[i].key();
        }
        return of(keys);
    }

    /**
     * The aid after inserting {@code key} at index {@code at}, or null when {@code key} does not share the prefix
     * (the caller then computes the aid afresh).
     */
    @Nullable
    KeyHeads inserted(int at, byte[] key) {
        int n = count;
        if (n == 0 || prefixOrder(key) != 0) {
            return null;
        }
        long[] hs = new long[n + 1];
        System.arraycopy(heads, 0, hs, 0, at);
        hs[at] = head(key, skip);
        System.arraycopy(heads, at, hs, at + 1, n - at);
        if (sameLength == key.length) {
            return new KeyHeads(skip, prefix, hs, sameLength, null);
        }
        int[] ls = new int[n + 1];
        for (int i = 0; i < n; i++) {
            ls[i < at ? i : i + 1] = length(i);
        }
        ls[at] = key.length;
        return new KeyHeads(skip, prefix, hs, -1, ls);
    }

    /** The aid of keys {@code [from, to)} of this node (the shared prefix stays valid for any part). */
    KeyHeads range(int from, int to) {
        if (from == to) {
            return EMPTY;
        }
        long[] hs = java.util.Arrays.copyOfRange(heads, from, to);
        int @Nullable [] ls = lengths;
        return ls == null
                ? new KeyHeads(skip, prefix, hs, sameLength, null)
                : new KeyHeads(skip, prefix, hs, -1, java.util.Arrays.copyOfRange(ls, from, to));
    }

    /**
     * The aid of the keys of {@code slots[from, to)} in an array with room for {@code capacity} keys, so that keys
     * appended after them need no copy ({@link #appended}); null when the keys differ in length (appends need one
     * length) or there is no room. The shared prefix stops 8 bytes before the keys' end, so that later keys
     * (a sequence that crosses a byte boundary, say) still share it and each head holds a key's last 8 bytes.
     */
    static @Nullable KeyHeads withRoom(Slot[] slots, int from, int to, int capacity) {
        int n = to - from;
        if (n == 0 || capacity <= n) {
            return null;
        }
        byte[] first = slots[from].key();
        int len = first.length;
        for (int i = from + 1; i < to; i++) {
            if (slots[i].key().length != len) {
                return null;
            }
        }
        int skip = Math.min(commonPrefix(first, slots[to - 1].key()), Math.max(0, len - 8));
        long[] hs = new long[capacity];
        for (int i = 0; i < n; i++) {
            hs[i] = head(slots[from + i].key(), skip);
        }
        return new KeyHeads(skip, first, hs, len, null, n);
    }

    /**
     * The aid after appending {@code key}, which sorts after every key of this one, written into this aid's
     * array; null when the array has no room, or the key does not share the prefix or the keys' one length (the
     * caller then copies). The caller holds the owning tree's lock and guarantees that no other aid over this
     * array describes entry {@link #count} (only the newest version of a leaf appends).
     */
    @Nullable
    KeyHeads appended(byte[] key) {
        int n = count;
        if (n == 0 || n >= heads.length || lengths != null || key.length != sameLength || prefixOrder(key) != 0) {
            return null;
        }
        heads[n] = head(key, skip);
        return new KeyHeads(skip, prefix, heads, sameLength, null, n + 1);
    }

    /** The aid after removing the key at index {@code at} (the shared prefix stays valid). */
    KeyHeads removed(int at) {
        if (count == 1) {
            return EMPTY;
        }
        long[] hs = new long[count - 1];
        System.arraycopy(heads, 0, hs, 0, at);
        System.arraycopy(heads, at + 1, hs, at, hs.length - at);
        int @Nullable [] old = lengths;
        if (old == null) {
            return new KeyHeads(skip, prefix, hs, sameLength, null);
        }
        int[] ls = new int[old.length - 1];
        System.arraycopy(old, 0, ls, 0, at);
        System.arraycopy(old, at + 1, ls, at, ls.length - at);
        return new KeyHeads(skip, prefix, hs, -1, ls);
    }

    /**
     * Where {@code key} stands against the shared prefix: negative if it sorts before every key starting with
     * it, positive if after every such key, 0 if {@code key} starts with the prefix.
     */
    int prefixOrder(byte[] key) {
        if (skip == 0) {
            return 0;
        }
        long kw = head(key, 0) & wordMask(skip);
        if (kw != prefixWord) {
            return Long.compareUnsigned(kw, prefixWord); // a short key pads with zeros: it sorts first, as it should
        }
        int n = Math.min(skip, key.length);
        for (int i = 8; i < n; i++) {
            int d = (key[i] & 0xFF) - (prefix[i] & 0xFF);
            if (d != 0) {
                return d;
            }
        }
        return key.length < skip ? -1 : 0; // a proper prefix of the shared prefix sorts first
    }

    /**
     * The order of a node key of length {@code a} against {@code key} (both start with the {@code skip}-byte
     * prefix) when their heads are equal, if the lengths decide it (one of them is at most {@code skip + 8} bytes:
     * then the bytes up to the shorter length are equal and the longer key continues with zeros); {@link
     * Integer#MIN_VALUE} when the keys themselves must be compared.
     */
    static int tieOrder(int a, int skip, byte[] key) {
        return Math.min(a, key.length) <= skip + 8 ? Integer.signum(a - key.length) : Integer.MIN_VALUE;
    }

    /** The length of key {@code i}. */
    int length(int i) {
        int @Nullable [] ls = lengths;
        return ls == null ? sameLength : ls[i];
    }

    /** The eight bytes of {@code key} from {@code skip}, zero-padded, as an unsigned big-endian long. */
    static long head(byte[] key, int skip) {
        int n = key.length - skip;
        if (n >= 8) {
            return (long) LONGS.get(key, skip);
        }
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (i < n ? key[skip + i] & 0xFF : 0);
        }
        return h;
    }

    private static int commonPrefix(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }
}
