package io.stratadb.engine.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class BTreeTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());
    private static final UpdateOwner COMMITTED = UpdateOwner.committed(1, 1, 0, 0);
    private static final ReadView LATEST = new ReadView(null, Long.MAX_VALUE, 0, false);

    static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i ^ Integer.MIN_VALUE).array();
    }

    static int id(byte[] k) {
        return ByteBuffer.wrap(k).getInt() ^ Integer.MIN_VALUE;
    }

    static void put(BTree t, int i) {
        Slot s = t.findOrInsert(key(i));
        Update h = s.head();
        assertTrue(s.casHead(h, new Update(COMMITTED, key(i), h)));
    }

    static List<Integer> scan(BTree t, boolean forward, byte @Nullable [] low, byte @Nullable [] high) {
        TreeCursor c = new TreeCursor(t, LATEST, low, high);
        List<Integer> out = new ArrayList<>();
        while (forward ? c.next() : c.prev()) {
            assertArrayEquals(c.key(), c.value());
            out.add(id(c.key()));
        }
        if (!forward) {
            Collections.reverse(out);
        }
        return out;
    }

    @Test
    void randomInsertsSplitAndScanInOrderBothWays() {
        Random r = new Random(SEED);
        BTree t = new BTree(4);
        TreeSet<Integer> model = new TreeSet<>();
        for (int n = 0; n < 3000; n++) {
            int k = r.nextInt(5000) - 2500;
            if (model.add(k)) {
                put(t, k);
            }
        }
        assertEquals(model.size(), t.size(), "seed=" + SEED);
        assertTrue(t.height() > 3, "small nodes force a deep tree");
        assertEquals(new ArrayList<>(model), scan(t, true, null, null), "seed=" + SEED);
        assertEquals(new ArrayList<>(model), scan(t, false, null, null), "seed=" + SEED);
        for (int q = 0; q < 200; q++) {
            int a = r.nextInt(5200) - 2600;
            int b = a + r.nextInt(300);
            List<Integer> want = new ArrayList<>(model.subSet(a, true, b, false));
            assertEquals(want, scan(t, true, key(a), key(b)), "range [" + a + "," + b + ") seed=" + SEED);
            assertEquals(want, scan(t, false, key(a), key(b)), "range [" + a + "," + b + ") seed=" + SEED);
            Slot s = t.find(key(a));
            assertEquals(model.contains(a), s != null, "find " + a + " seed=" + SEED);
        }
    }

    @Test
    void ascendingInsertsLeaveFullNodesAndOtherOrdersStillSplitInHalves() {
        BTree asc = new BTree(64);
        for (int k = 0; k < 64 * 64 * 3; k++) {
            put(asc, k);
        }
        assertEquals(64 * 3, asc.leafCount(), "every leaf but the last is full");
        assertEquals(3, asc.height(), "full internal nodes: a root over three of them");
        List<Integer> all = scan(asc, true, null, null);
        assertEquals(64 * 64 * 3, all.size());
        for (int k = 0; k < all.size(); k++) {
            assertEquals(k, all.get(k));
            assertEquals(k, id(Objects.requireNonNull(asc.find(key(k))).key()));
        }
        BTree desc = new BTree(64);
        for (int k = 64 * 64 * 3 - 1; k >= 0; k--) {
            put(desc, k);
        }
        assertTrue(desc.leafCount() > 64 * 3 * 3 / 2, "descending inserts split in halves: " + desc.leafCount());
        assertEquals(all, scan(desc, true, null, null));
        BTree mixed = new BTree(4); // appends between other inserts, with tiny nodes
        TreeSet<Integer> model = new TreeSet<>();
        Random r = new Random(SEED);
        for (int n = 0; n < 3000; n++) {
            int k = r.nextInt(3) == 0 ? (model.isEmpty() ? 0 : model.last() + 1) : r.nextInt(4000);
            if (model.add(k)) {
                put(mixed, k);
            }
        }
        assertEquals(new ArrayList<>(model), scan(mixed, true, null, null), "seed=" + SEED);
        assertEquals(new ArrayList<>(model), scan(mixed, false, null, null), "seed=" + SEED);
        for (int k : model) {
            assertEquals(k, id(Objects.requireNonNull(mixed.find(key(k))).key()), "seed=" + SEED);
        }
    }

    /** A BIGINT-like key: a tag byte, then the value's 8 bytes, sign bit flipped. */
    static byte[] longKey(long v) {
        return ByteBuffer.allocate(9)
                .put((byte) 0x02)
                .putLong(v ^ Long.MIN_VALUE)
                .array();
    }

    @Test
    void ascendingKeysAreAppendedIntoTheRoomOfTheLastLeafWithoutDisturbingOlderVersions() {
        BTree t = new BTree(64);
        long first = 65_536L * 3 - 200; // the keys cross a 256 and a 65536 boundary of their bytes
        List<byte[]> keys = new ArrayList<>();
        for (long v = first; v < first + 64 * 10 + 5; v++) {
            byte[] k = longKey(v);
            Leaf before = t.edge(false).leaf;
            List<Slot> seen = new ArrayList<>(before.slotList());
            Slot s = t.findOrInsert(k);
            s.casHead(null, new Update(COMMITTED, k, null));
            keys.add(k);
            Leaf after = t.edge(false).leaf;
            if (t.leafCount() > 1 && after.size() == before.size() + 1) { // the first leaf has no room: a split's has
                assertTrue(after.sharesSlotsWith(before), "append " + v + " copied the leaf's slots");
            }
            assertEquals(seen, before.slotList(), "the version before the append of " + v + " changed");
        }
        assertEquals(11, t.leafCount(), "full leaves, then the five keys of the last");
        TreeCursor c = new TreeCursor(t, LATEST, null, null);
        for (byte[] k : keys) {
            assertTrue(c.next());
            assertArrayEquals(k, c.key());
            assertNotNull(t.find(k));
        }
        assertFalse(c.next());
        assertNull(t.find(longKey(first - 1)));
        assertNull(t.find(longKey(first + 64 * 10 + 5)));
    }

    @Test
    void ascendingKeysIntoAGapFillLeavesAndAppendIntoTheirRoom() {
        BTree t = new BTree(64);
        for (int k = 0; k < 64 * 4; k++) {
            put(t, k);
        }
        put(t, 1_000_000); // a key past the gap: the ascending run below is not at the tree's end
        int before = t.leafCount();
        int from = 10_000;
        int n = 64 * 20;
        for (int k = from; k < from + n; k++) {
            Leaf old = t.descend(key(k), false).leaf;
            put(t, k);
            Leaf now = t.descend(key(k), false).leaf;
            if (now.size() == old.size() + 1 && k > from + 64) {
                assertTrue(now.sharesSlotsWith(old), "append " + k + " copied its leaf's slots");
            }
        }
        assertTrue(
                t.leafCount() - before <= n / 64 + 1,
                "ascending keys into a gap leave full leaves: " + (t.leafCount() - before) + " new leaves");
        List<Integer> want = new ArrayList<>();
        for (int k = 0; k < 64 * 4; k++) {
            want.add(k);
        }
        for (int k = from; k < from + n; k++) {
            want.add(k);
        }
        want.add(1_000_000);
        assertEquals(want, scan(t, true, null, null));
    }

    @Test
    void onlyTheNewestVersionOfALeafAppendsIntoItsRoom() {
        BTree t = new BTree(8);
        for (int k = 0; k < 9; k++) {
            put(t, k); // the ninth key splits off a leaf with room
        }
        Leaf roomy = t.edge(false).leaf;
        assertEquals(1, roomy.size());
        Slot a = new Slot(key(100));
        Slot b = new Slot(key(200));
        Leaf next = roomy.appended(a);
        assertNotNull(next, "the newest version appends");
        assertNull(roomy.appended(b), "an older version must not write over its successor's entry");
        assertEquals(List.of(roomy.slot(0), a), next.slotList());
        assertEquals(1, roomy.size());
        assertEquals(2, next.lowerBound(key(200)), "the appended key is the last: a larger key goes after it");
    }

    @Test
    void appendsAfterARemovalOrWithOtherKeyLengthsCopyAndStaySorted() {
        BTree t = new BTree(8);
        UpdateOwner doomed = new UpdateOwner(9);
        TreeSet<Integer> model = new TreeSet<>();
        Slot gone = null;
        for (int k = 0; k < 12; k++) {
            Slot s = t.findOrInsert(key(k));
            if (k == 10) {
                s.casHead(null, new Update(doomed, key(k), null));
                gone = s;
            } else {
                s.casHead(null, new Update(COMMITTED, key(k), null));
                model.add(k);
            }
        }
        doomed.publishRollback();
        assertTrue(t.removeIfAllAborted(Objects.requireNonNull(gone))); // the roomy leaf's newest version is a copy
        for (int k = 12; k < 40; k++) {
            put(t, k);
            model.add(k);
        }
        byte[] longer = Arrays.copyOf(key(40), 6); // same prefix, another length: no append into the room
        Slot s = t.findOrInsert(longer);
        s.casHead(null, new Update(COMMITTED, longer, null));
        put(t, 41);
        model.add(41);
        List<Integer> scanned = new ArrayList<>();
        TreeCursor c = new TreeCursor(t, LATEST, null, key(41));
        while (c.next()) {
            scanned.add(id(Arrays.copyOf(c.key(), 4)));
        }
        List<Integer> want = new ArrayList<>(model.headSet(41));
        want.add(40); // the 6-byte key sorts after key(40)'s 4 bytes, before key(41)
        assertEquals(want, scanned);
        for (int k : model) {
            assertNotNull(t.find(key(k)), "key " + k);
        }
        assertNotNull(t.find(longer));
    }

    @Test
    void seekPositionsBeforeTheFirstKeyAtOrAfterIt() {
        BTree t = new BTree(4);
        for (int i = 0; i < 100; i += 2) {
            put(t, i);
        }
        TreeCursor c = new TreeCursor(t, LATEST, key(10), key(50));
        c.seek(key(21));
        assertTrue(c.next());
        assertEquals(22, id(c.key()));
        c.seek(key(21));
        assertTrue(c.prev());
        assertEquals(20, id(c.key()));
        assertTrue(c.prev());
        assertEquals(18, id(c.key()));
        c.seek(key(0));
        assertTrue(c.next());
        assertEquals(10, id(c.key()), "seek below the range starts at its low bound");
        c.seek(key(60));
        assertFalse(c.next());
        assertTrue(c.prev(), "after the end, prev moves to the last key");
        assertEquals(48, id(c.key()));
    }

    @Test
    void invisibleAndTombstonedKeysAreSkipped() {
        BTree t = new BTree(4);
        UpdateOwner active = new UpdateOwner(7);
        for (int i = 0; i < 20; i++) {
            Slot s = t.findOrInsert(key(i));
            UpdateOwner o = i % 3 == 0 ? active : COMMITTED;
            s.casHead(null, new Update(o, i % 5 == 0 ? null : key(i), null));
        }
        List<Integer> want = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i % 3 != 0 && i % 5 != 0) {
                want.add(i);
            }
        }
        assertEquals(want, scan(t, true, null, null));
        assertEquals(want, scan(t, false, null, null));
        ReadView own = new ReadView(active, 0, 0, false);
        assertNotNull(own.value(Objects.requireNonNull(t.find(key(3)))), "own writes are visible");
        assertNull(own.value(Objects.requireNonNull(t.find(key(4)))), "committed after the snapshot: invisible");
    }

    @Test
    void removingAbortedKeysMergesNodesAndKeepsOrder() {
        Random r = new Random(SEED);
        BTree t = new BTree(4);
        UpdateOwner doomed = new UpdateOwner(9);
        TreeSet<Integer> model = new TreeSet<>();
        List<Slot> toRemove = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Slot s = t.findOrInsert(key(i));
            if (r.nextInt(10) < 8) {
                s.casHead(null, new Update(doomed, key(i), null));
                toRemove.add(s);
            } else {
                s.casHead(null, new Update(COMMITTED, key(i), null));
                model.add(i);
            }
        }
        int leavesBefore = t.leafCount();
        int heightBefore = t.height();
        assertFalse(t.removeIfAllAborted(toRemove.get(0)), "a live chain stays");
        doomed.publishRollback();
        Collections.shuffle(toRemove, r);
        for (Slot s : toRemove) {
            assertTrue(t.removeIfAllAborted(s));
            assertTrue(s.isRemoved());
        }
        assertEquals(model.size(), t.size());
        assertTrue(t.leafCount() < leavesBefore * 3 / 4, "leaves merged: " + t.leafCount() + " of " + leavesBefore);
        assertTrue(t.height() <= heightBefore);
        assertEquals(new ArrayList<>(model), scan(t, true, null, null), "seed=" + SEED);
        assertEquals(new ArrayList<>(model), scan(t, false, null, null), "seed=" + SEED);
        for (int i = 0; i < 2000; i++) {
            assertEquals(model.contains(i), t.find(key(i)) != null, "key " + i + " seed=" + SEED);
        }
    }

    /** Keys of 0 to 20 bytes over a tiny alphabet (0x00, 0x01, 0xFF), behind one of a few shared prefixes. */
    private static byte[] messyKey(Random r) {
        byte[][] prefixes = {{}, {1}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {(byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 7}};
        byte[] p = prefixes[r.nextInt(prefixes.length)];
        byte[] alphabet = {0, 1, (byte) 0xFF};
        byte[] k = Arrays.copyOf(p, p.length + r.nextInt(11));
        for (int i = p.length; i < k.length; i++) {
            k[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return k;
    }

    @Test
    void keysOfAnyLengthWithLongSharedPrefixesAreFoundSeekedAndRemoved() {
        Random r = new Random(SEED);
        for (int maxNode : new int[] {4, 64}) {
            BTree t = new BTree(maxNode);
            UpdateOwner doomed = new UpdateOwner(9);
            TreeSet<byte[]> all = new TreeSet<>(Arrays::compareUnsigned);
            TreeSet<byte[]> kept = new TreeSet<>(Arrays::compareUnsigned);
            List<Slot> toRemove = new ArrayList<>();
            for (int n = 0; n < 4000; n++) {
                byte[] k = messyKey(r);
                if (!all.add(k)) {
                    continue;
                }
                Slot s = t.findOrInsert(k);
                boolean remove = r.nextInt(3) == 0;
                assertTrue(s.casHead(null, new Update(remove ? doomed : COMMITTED, k, null)), "seed=" + SEED);
                if (remove) {
                    toRemove.add(s);
                } else {
                    kept.add(k);
                }
            }
            checkMessy(t, all, kept, r, maxNode);
            doomed.publishRollback();
            Collections.shuffle(toRemove, r);
            for (Slot s : toRemove) {
                assertTrue(t.removeIfAllAborted(s), "seed=" + SEED);
            }
            checkMessy(t, kept, kept, r, maxNode);
        }
    }

    /** Checks find against {@code model} (every key in the tree), seeks and scans against {@code visible}. */
    private static void checkMessy(
            BTree t, java.util.Set<byte[]> model, java.util.NavigableSet<byte[]> visible, Random r, int maxNode) {
        String ctx = " maxNode=" + maxNode + " seed=" + SEED;
        assertEquals(model.size(), t.size(), ctx);
        for (byte[] k : model) {
            Slot s = t.find(k);
            assertNotNull(s, "key " + Arrays.toString(k) + ctx);
            assertArrayEquals(k, s.key(), ctx);
        }
        for (int q = 0; q < 500; q++) {
            byte[] probe = messyKey(r);
            assertEquals(model.contains(probe), t.find(probe) != null, "find " + Arrays.toString(probe) + ctx);
            byte[] want = visible.ceiling(probe);
            TreeCursor c = new TreeCursor(t, new ReadView(null, Long.MAX_VALUE, 0, true), probe, null);
            assertEquals(want != null, c.next(), "seek " + Arrays.toString(probe) + ctx);
            if (want != null) {
                assertArrayEquals(want, c.key(), "seek " + Arrays.toString(probe) + ctx);
            }
        }
        List<byte[]> scanned = new ArrayList<>();
        TreeCursor c = new TreeCursor(t, new ReadView(null, Long.MAX_VALUE, 0, true), null, null);
        while (c.next()) {
            scanned.add(c.key());
        }
        assertEquals(visible.size(), scanned.size(), ctx);
        int i = 0;
        for (byte[] k : visible) {
            assertArrayEquals(k, scanned.get(i++), ctx);
        }
    }

    @Test
    void readersNeverLockAndSeeSortedGrowingTreesWhileWritersRun() throws Exception {
        BTree t = new BTree(8);
        int writers = 4;
        int perWriter = 20_000;
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int base = w;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    Random r = new Random(SEED + base);
                    for (int i = 0; i < perWriter; i++) {
                        int k = i * writers + base;
                        Slot s = t.findOrInsert(key(k));
                        Update h;
                        do {
                            h = s.head();
                        } while (!s.casHead(h, new Update(COMMITTED, key(k), h)));
                        int hot = r.nextInt(64) * writers; // contended chain updates on shared keys
                        Slot hs = t.findOrInsert(key(hot));
                        do {
                            h = hs.head();
                        } while (!hs.casHead(h, new Update(COMMITTED, key(hot), h)));
                    }
                } catch (Throwable e) {
                    errors.add(e.toString());
                }
            }));
        }
        for (int rd = 0; rd < 3; rd++) {
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    int last = 0;
                    while (!done.get()) {
                        TreeCursor c = new TreeCursor(t, LATEST, null, null);
                        int n = 0;
                        byte[] prev = null;
                        while (c.next()) {
                            if (prev != null && Arrays.compareUnsigned(prev, c.key()) >= 0) {
                                errors.add("out of order after " + id(prev));
                            }
                            prev = c.key();
                            n++;
                        }
                        if (n < last) {
                            errors.add("scan shrank from " + last + " to " + n);
                        }
                        last = n;
                    }
                } catch (Throwable e) {
                    errors.add(e.toString());
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (int i = 0; i < writers; i++) {
            threads.get(i).join();
        }
        done.set(true);
        for (Thread th : threads) {
            th.join();
        }
        assertTrue(errors.isEmpty(), errors + " seed=" + SEED);
        assertEquals((long) writers * perWriter, t.size());
        assertEquals(writers * perWriter, scan(t, true, null, null).size());
    }
}
