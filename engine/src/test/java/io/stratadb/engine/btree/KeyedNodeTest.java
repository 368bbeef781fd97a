package io.stratadb.engine.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The node search (prefix word, heads, lengths, key bytes) against a plain binary search over the keys. */
class KeyedNodeTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());

    /** A key of {@code prefix} plus 0-11 bytes from a small alphabet (zeros make padding ties likely). */
    private static byte[] key(Random r, byte[] prefix) {
        byte[] alphabet = {0, 1, (byte) 0x80, (byte) 0xFF};
        int cut = r.nextInt(8) == 0 ? r.nextInt(prefix.length + 1) : prefix.length; // some keys stop inside it
        byte[] k = Arrays.copyOf(prefix, cut + r.nextInt(12));
        for (int i = cut; i < k.length; i++) {
            k[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return k;
    }

    @Test
    void leafSearchAndChildIndexAgreeWithABinarySearchOverTheKeys() {
        Random r = new Random(SEED);
        for (int round = 0; round < 3000; round++) {
            byte[] prefix = new byte[r.nextInt(13)];
            for (int i = 0; i < prefix.length; i++) {
                prefix[i] = (byte) (r.nextInt(3) == 0 ? 0 : r.nextInt(256));
            }
            TreeSet<byte[]> set = new TreeSet<>(Arrays::compareUnsigned);
            int n = r.nextInt(70);
            while (set.size() < n) {
                set.add(key(r, prefix));
            }
            byte[][] keys = set.toArray(new byte[0][]);
            Nodes nodes = Nodes.of(keys);
            for (int q = 0; q < 40; q++) {
                byte[] probe = r.nextBoolean() && keys.length > 0 ? keys[r.nextInt(keys.length)] : key(r, prefix);
                nodes.check(probe, "keys " + Arrays.deepToString(keys));
            }
        }
    }

    /**
     * Keys of one width spread over their heads in different ways: evenly (consecutive integers, where the
     * interpolated first guess is exact), with gaps (the guess lands near the key, inside or outside the window
     * searched around it), and skewed (a cluster plus far outliers, where the guess is far off and the search
     * falls back to halving).
     */
    @Test
    void integerKeysAreFoundWhereverTheInterpolatedGuessLands() {
        Random r = new Random(SEED);
        for (int round = 0; round < 3000; round++) {
            int n = 1 + r.nextInt(80);
            TreeSet<Long> set = new TreeSet<>();
            long base = r.nextLong();
            int shape = r.nextInt(3);
            while (set.size() < n) {
                long v = switch (shape) {
                    case 0 -> base + set.size();
                    case 1 -> base + r.nextInt(4 * n);
                    default -> r.nextInt(10) == 0 ? r.nextLong() : base + r.nextInt(n * 2);
                };
                set.add(v);
            }
            byte[][] keys = set.stream()
                    .map(KeyedNodeTest::intKey)
                    .sorted(Arrays::compareUnsigned)
                    .toArray(byte[][]::new);
            Nodes nodes = Nodes.of(keys);
            for (int q = 0; q < 60; q++) {
                long v = r.nextBoolean() ? base + r.nextInt(5 * n) - n : r.nextLong();
                nodes.check(r.nextBoolean() ? keys[r.nextInt(keys.length)] : intKey(v), "keys " + set);
            }
        }
    }

    /** A leaf and an internal node over the same sorted keys, searched and checked against a binary search. */
    @SuppressWarnings("ArrayRecordComponent") // a test fixture: the keys are never changed or compared
    private record Nodes(byte[][] keys, Leaf leaf, Internal in) {
        static Nodes of(byte[][] keys) {
            Slot[] slots = new Slot[keys.length];
            for (int i = 0; i < keys.length; i++) {
                slots[i] = new Slot(keys[i]);
            }
            return new Nodes(keys, new Leaf(slots, new PageMeta()), new Internal(keys, new Node[keys.length + 1]));
        }

        void check(byte[] probe, String keysText) {
            String ctx = keysText + " probe " + Arrays.toString(probe) + " seed=" + SEED;
            int want = Arrays.binarySearch(keys, probe, Arrays::compareUnsigned);
            assertEquals(want, leaf.search(probe), ctx);
            int below = want >= 0 ? want : -want - 1;
            assertEquals(below, in.childIndex(probe, true), ctx);
            assertEquals(want >= 0 ? want + 1 : below, in.childIndex(probe, false), ctx);
        }
    }

    /** A 9-byte key as the key codec writes a BIGINT: a null marker, then the value with its sign bit flipped. */
    private static byte[] intKey(long v) {
        byte[] k = new byte[9];
        k[0] = 1;
        long u = v ^ Long.MIN_VALUE;
        for (int i = 0; i < 8; i++) {
            k[1 + i] = (byte) (u >>> (56 - 8 * i));
        }
        return k;
    }
}
