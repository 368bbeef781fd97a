package io.stratadb.engine.pagelog.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The compact LSN-to-location index of commit-log records: lookups, range reads, reclaim, growth, races. */
class LogRecordIndexTest {
    private static final int C = LogRecordIndex.CHUNK;

    private static List<LogRecordIndex.Entry> all(LogRecordIndex idx) {
        List<LogRecordIndex.Entry> out = new ArrayList<>();
        idx.forEach(out::add);
        return out;
    }

    private static List<Long> lsnsAfter(LogRecordIndex idx, long after, int max) {
        List<Long> out = new ArrayList<>();
        idx.forEachAfter(after, (lsn, type, size, location) -> {
            out.add(lsn);
            return out.size() < max;
        });
        return out;
    }

    @Test
    void rangeReadsStartAboveTheGivenLsnAcrossChunks() {
        LogRecordIndex idx = new LogRecordIndex();
        int n = 3 * C + 17;
        for (int i = 1; i <= n; i++) {
            idx.put(2L * i, i % 7, 100 + i, 1000L * i); // even LSNs only: the others are page records
        }
        assertEquals(n, idx.size());
        assertEquals(4, idx.chunkCount(), "entries fill whole chunks before a new one starts");
        assertEquals(List.of(2L, 4L, 6L), lsnsAfter(idx, 0, 3));
        assertEquals(List.of(6L, 8L), lsnsAfter(idx, 4, 2), "strictly above an indexed LSN");
        assertEquals(List.of(6L, 8L), lsnsAfter(idx, 5, 2), "above an LSN that is not indexed");
        long chunkEdge = 2L * C;
        assertEquals(List.of(chunkEdge + 2, chunkEdge + 4), lsnsAfter(idx, chunkEdge, 2), "across a chunk edge");
        assertEquals(List.of(), lsnsAfter(idx, 2L * n, 10));
        assertEquals(n, lsnsAfter(idx, Long.MIN_VALUE, Integer.MAX_VALUE).size());
        LogRecordIndex.Entry e = all(idx).get(C + 4);
        int i = C + 5;
        assertEquals(new LogRecordIndex.Entry(2L * i, i % 7, 100 + i, 1000L * i), e, "fields stay together");
    }

    @Test
    void aCopyMovesAnIndexedRecordWithoutAddingOne() {
        LogRecordIndex idx = new LogRecordIndex();
        for (long lsn = 1; lsn <= C + 10; lsn++) {
            idx.put(lsn, 1, 10, lsn);
        }
        idx.put(5, 1, 10, 99_005);
        idx.put(C + 3, 1, 10, 99_003);
        assertEquals(C + 10, idx.size());
        assertEquals(99_005, all(idx).get(4).location());
        assertEquals(99_003, all(idx).get(C + 2).location());
    }

    @Test
    void anLsnBetweenIndexedOnesIsInsertedInOrder() {
        LogRecordIndex idx = new LogRecordIndex();
        for (long lsn = 10; lsn <= 10L * (C + 5); lsn += 10) {
            idx.put(lsn, 0, 0, lsn);
        }
        idx.put(15, 3, 4, 5);
        idx.put(1, 0, 0, 1);
        idx.put(10L * C + 5, 0, 0, 7);
        List<Long> lsns = lsnsAfter(idx, Long.MIN_VALUE, Integer.MAX_VALUE);
        assertEquals(C + 8, lsns.size());
        for (int i = 1; i < lsns.size(); i++) {
            assertTrue(lsns.get(i - 1) < lsns.get(i), "LSNs out of order at " + i + ": " + lsns);
        }
        assertEquals(List.of(1L, 10L, 15L, 20L), lsns.subList(0, 4));
        idx.put(10L * (C + 6), 0, 0, 0); // appends still work after a rebuilt chunk
        assertEquals(10L * (C + 6), lsnsAfter(idx, 10L * (C + 5), 5).get(0));
    }

    @Test
    void reclaimDropsWholeChunksAndTrimsTheBoundary() {
        LogRecordIndex idx = new LogRecordIndex();
        int n = 5 * C;
        for (long lsn = 1; lsn <= n; lsn++) {
            idx.put(lsn, 0, 0, lsn);
        }
        idx.removeUpTo(0);
        assertEquals(n, idx.size(), "nothing at or below LSN 0");
        idx.removeUpTo(2L * C);
        assertEquals(3, idx.chunkCount(), "the two chunks below the reclaim point are gone");
        assertEquals(List.of(2L * C + 1), lsnsAfter(idx, 0, 1));
        idx.removeUpTo(3L * C + 5);
        assertEquals(n - 3L * C - 5, idx.size());
        assertEquals(List.of(3L * C + 6), lsnsAfter(idx, 0, 1), "the boundary chunk keeps only what is above");
        idx.removeUpTo(n);
        assertEquals(0, idx.size());
        assertEquals(0, idx.chunkCount(), "an empty index holds no chunk");
        idx.put(n + 1, 2, 3, 4);
        assertEquals(List.of(new LogRecordIndex.Entry(n + 1, 2, 3, 4)), all(idx));
    }

    @Test
    void aReclaimInsideTheLastChunkLeavesItOpenForAppends() {
        LogRecordIndex idx = new LogRecordIndex();
        for (long lsn = 1; lsn <= 100; lsn++) {
            idx.put(lsn, 0, 0, lsn);
        }
        idx.removeUpTo(50);
        for (long lsn = 101; lsn <= 100 + C - 50; lsn++) {
            idx.put(lsn, 0, 0, lsn);
        }
        assertEquals(1, idx.chunkCount());
        assertEquals(C, idx.size());
    }

    @Test
    void matchesASortedMapUnderRandomOperations() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        LogRecordIndex idx = new LogRecordIndex();
        TreeMap<Long, LogRecordIndex.Entry> model = new TreeMap<>();
        long next = 0;
        for (int step = 0; step < 30_000; step++) {
            int op = rnd.nextInt(100);
            if (op < 85) {
                next += 1 + rnd.nextInt(3);
                put(idx, model, next, rnd);
            } else if (op < 92 && !model.isEmpty()) {
                Map.Entry<Long, LogRecordIndex.Entry> found = model.ceilingEntry(1 + (long) (rnd.nextDouble() * next));
                if (found != null) { // a copy: the same record (type, size) at a new location
                    LogRecordIndex.Entry old = found.getValue();
                    LogRecordIndex.Entry moved =
                            new LogRecordIndex.Entry(old.lsn(), old.type(), old.size(), rnd.nextLong());
                    idx.put(old.lsn(), moved.type(), moved.size(), moved.location());
                    model.put(old.lsn(), moved);
                }
            } else if (op < 95) {
                long lsn = 1 + (long) (rnd.nextDouble() * next); // anywhere, even between indexed ones
                if (lsn <= next && !model.containsKey(lsn)) {
                    put(idx, model, lsn, rnd);
                }
            } else if (op < 97) {
                long upTo = (long) (rnd.nextDouble() * next);
                idx.removeUpTo(upTo);
                model.headMap(upTo, true).clear();
            } else {
                long after = (long) (rnd.nextDouble() * (next + 2)) - 1;
                int max = 1 + rnd.nextInt(5000);
                List<Long> expected =
                        model.tailMap(after, false).keySet().stream().limit(max).toList();
                assertEquals(expected, lsnsAfter(idx, after, max), "seed " + seed + " step " + step);
            }
        }
        assertEquals(new ArrayList<>(model.values()), all(idx), "seed " + seed);
    }

    private static void put(LogRecordIndex idx, Map<Long, LogRecordIndex.Entry> model, long lsn, Random rnd) {
        LogRecordIndex.Entry e = new LogRecordIndex.Entry(lsn, rnd.nextInt(9), rnd.nextInt(1000), rnd.nextLong());
        idx.put(e.lsn(), e.type(), e.size(), e.location());
        model.put(e.lsn(), e);
    }

    @Test
    void aLockFreeReaderSeesCompleteEntriesInOrderWhileTheWriterAppendsAndReclaims() throws Exception {
        LogRecordIndex idx = new LogRecordIndex();
        int n = 40 * C;
        AtomicReference<String> failure = new AtomicReference<>();
        Thread readerThread = new Thread(() -> {
            long[] checked = {0};
            while (checked[0] < n && failure.get() == null) {
                long[] prev = {Long.MIN_VALUE};
                idx.forEachAfter(checked[0] / 2, (lsn, type, size, location) -> {
                    if (lsn <= prev[0] || type != (int) (lsn % 5) || size != (int) (lsn % 1000) || location != ~lsn) {
                        failure.compareAndSet(
                                null, "entry " + lsn + " " + type + " " + size + " " + location + " after " + prev[0]);
                        return false;
                    }
                    prev[0] = lsn;
                    checked[0] = Math.max(checked[0], lsn);
                    return true;
                });
            }
        });
        readerThread.start();
        for (long lsn = 1; lsn <= n; lsn++) {
            idx.put(lsn, (int) (lsn % 5), (int) (lsn % 1000), ~lsn);
            if (lsn % (3 * C + 1) == 0) {
                idx.removeUpTo(lsn - C);
            }
        }
        readerThread.join(30_000);
        assertNull(failure.get());
        assertEquals(false, readerThread.isAlive(), "the reader reached the last entry");
    }
}
