package io.stratadb.engine.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Eviction to stubs and read-back at the tree level, with an in-memory page store. */
class BTreeEvictionTest {
    private static final UpdateOwner COMMITTED = UpdateOwner.committed(1, 1, 0, 0);
    private static final ReadView LATEST = new ReadView(null, Long.MAX_VALUE, 0, false);

    /** Stores each approved leaf's keys and values under a fresh LSN; approves every leaf. */
    private static final class MemoryStore implements PageStore, EvictionCheck {
        final Map<Long, List<byte[][]>> pages = new HashMap<>();
        long nextLsn = 1;
        int evicted;
        boolean approve = true;

        @Override
        public List<Slot> read(long pageId, long lsn) {
            List<Slot> out = new ArrayList<>();
            for (byte[][] kv : java.util.Objects.requireNonNull(pages.get(lsn))) {
                Slot s = new Slot(kv[0]);
                s.casHead(null, new Update(UpdateOwner.committed(0, 0, 0, 0), kv[1], null));
                out.add(s);
            }
            return out;
        }

        @Override
        public @Nullable Clean clean(PageMeta meta, Slot[] slots, @Nullable Update[] heads) {
            if (!approve) {
                return null;
            }
            List<byte[][]> kvs = new ArrayList<>();
            for (int i = 0; i < slots.length; i++) {
                Update h = heads[i];
                kvs.add(new byte[][] {slots[i].key(), h == null ? new byte[0] : h.value()});
            }
            long lsn = nextLsn++;
            pages.put(lsn, kvs);
            return new Clean(this, lsn, slots.length);
        }

        @Override
        public void evicted(PageMeta meta) {
            evicted++;
        }
    }

    private static BTree filled(int n) {
        BTree t = new BTree(8);
        for (int i = 0; i < n; i++) {
            Slot s = t.findOrInsert(BTreeTest.key(i));
            assertTrue(s.casHead(null, new Update(COMMITTED, BTreeTest.key(i), null)));
        }
        return t;
    }

    private static void clearAccessBits(BTree t, MemoryStore store) {
        store.approve = false;
        t.evictSome(Long.MAX_VALUE, store); // the first pass of the clock only clears access bits
        store.approve = true;
    }

    @Test
    void evictedLeavesAreReadBackByLookupsCursorsAndInserts() {
        int n = 200;
        BTree t = filled(n);
        long before = t.residentBytes();
        MemoryStore store = new MemoryStore();
        clearAccessBits(t, store);
        long freed = t.evictSome(Long.MAX_VALUE, store);
        assertTrue(freed > 0);
        assertEquals(t.leafCount(), t.evictedLeafCount(), "every leaf evicted");
        assertEquals(store.evicted, t.evictions());
        assertTrue(t.residentBytes() < before / 10, "resident bytes " + t.residentBytes() + " of " + before);
        assertEquals(n, t.size());
        for (int i = 0; i < n; i += 3) {
            Slot s = t.find(BTreeTest.key(i));
            assertNotNull(s, "key " + i);
            assertArrayEquals(BTreeTest.key(i), LATEST.value(s));
        }
        assertTrue(t.reads() > 0);
        clearAccessBits(t, store);
        t.evictSome(Long.MAX_VALUE, store);
        TreeCursor c = new TreeCursor(t, LATEST, null, null);
        int k = 0;
        while (c.next()) {
            assertEquals(k++, BTreeTest.id(c.key()));
        }
        assertEquals(n, k, "forward scan over stubs");
        clearAccessBits(t, store);
        t.evictSome(Long.MAX_VALUE, store);
        c = new TreeCursor(t, LATEST, null, null);
        while (c.prev()) {
            assertEquals(--k, BTreeTest.id(c.key()));
        }
        assertEquals(0, k, "backward scan over stubs");
        clearAccessBits(t, store);
        t.evictSome(Long.MAX_VALUE, store);
        Slot fresh = t.findOrInsert(BTreeTest.key(n + 5));
        assertTrue(fresh.casHead(null, new Update(COMMITTED, BTreeTest.key(n + 5), null)));
        assertEquals(n + 1, t.size());
        t.faultInAll();
        assertEquals(0, t.evictedLeafCount());
        List<Integer> all = new ArrayList<>();
        t.forEachSlot(s -> all.add(BTreeTest.id(s.key())));
        assertEquals(n + 1, all.size());
    }

    @Test
    void heldSlotsStayReadableButSendWritersBackToTheTree() {
        BTree t = filled(40);
        MemoryStore store = new MemoryStore();
        Slot held = t.find(BTreeTest.key(7));
        assertNotNull(held);
        clearAccessBits(t, store);
        t.evictSome(Long.MAX_VALUE, store);
        assertTrue(t.evictedLeafCount() > 0);
        // a reader that found the slot before the eviction still reads its value through the marker
        assertArrayEquals(BTreeTest.key(7), LATEST.value(held));
        // a writer that found it must look the key up again
        assertTrue(Slot.gone(held.head()));
        Slot again = t.findOrInsert(BTreeTest.key(7));
        assertNotSame(held, again);
        assertFalse(Slot.gone(again.head()));
        assertArrayEquals(BTreeTest.key(7), LATEST.value(again));
    }
}
