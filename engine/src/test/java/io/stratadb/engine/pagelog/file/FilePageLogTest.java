package io.stratadb.engine.pagelog.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability and damage handling of the {@code file:} backend within one JVM. */
class FilePageLogTest {
    @TempDir
    Path tmp;

    private URI uri(String name, long segmentBytes) {
        return URI.create(tmp.resolve(name).toUri() + "?segmentBytes=" + segmentBytes);
    }

    /** Opens a writer-capable instance of the log at {@code uri} as {@code node}. */
    static PageLog open(URI uri, String node) {
        return PageLogProviders.open(uri, new PageLogOptions(node, true));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static List<Long> logLsns(PageLog log) {
        return log.readLog(0, 1_000_000).stream().map(LogRecord::lsn).toList();
    }

    /** The newest segment file of a log directory. */
    static Path newestSegment(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("seg-")
                            && p.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
    }

    /** Byte offsets of every frame in a segment. */
    static long[] frameOffsets(Path segment) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(segment));
        long[] offs = new long[0];
        int pos = 0;
        while (pos + Frame.HEADER <= all.limit() && all.getInt(pos) != 0) {
            offs = java.util.Arrays.copyOf(offs, offs.length + 1);
            offs[offs.length - 1] = pos;
            pos += all.getInt(pos);
        }
        return offs;
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x10));
            b.rewind();
            ch.write(b, offset);
        }
    }

    @Test
    void reopenAfterCloseSeesEverything() {
        URI u = uri("reopen", 4096);
        long f;
        long d;
        long r;
        CheckpointCompletion c;
        try (PageLog log = open(u, "n1")) {
            log.claimEpoch();
            PageLogHandle h = log.openHandle(5);
            f = h.put(100, PutArgs.full(0), bytes("full"));
            d = h.put(100, PutArgs.delta(f, f), bytes("delta"));
            for (int i = 0; i < 100; i++) {
                log.append(2, bytes("commit-" + i + "-" + "x".repeat(100)));
            }
            r = log.append(3, bytes("last"));
            c = log.completeCheckpoint(7, 3, bytes("meta"));
            log.sync(r);
        }
        try (PageLog log = open(u, "n2")) {
            assertEquals(c.lsn(), log.lastLsn());
            assertEquals(1, log.currentEpoch());
            assertEquals("n1", log.epochOwner().orElseThrow());
            List<PageRecord> chain = log.openHandle(5).get(100, 0);
            assertEquals(List.of(f, d), chain.stream().map(PageRecord::lsn).toList());
            assertEquals("delta", str(chain.get(1).payload()));
            List<LogRecord> recs = log.readLog(0, 1000);
            assertEquals(101, recs.size());
            assertEquals(r, recs.get(100).lsn());
            assertEquals(3, recs.get(100).type());
            assertEquals(7, log.completedCheckpoint(0).orElseThrow().checkpointTimestamp());
            assertArrayEquals(
                    bytes("meta"), log.completedCheckpoint(0).orElseThrow().metadata());
            // the new writer continues the LSN space and the chains
            assertEquals(2, log.claimEpoch());
            long d2 = log.openHandle(5).put(100, PutArgs.delta(d, f), bytes("d2"));
            assertTrue(d2 > c.lsn());
        }
    }

    @Test
    void abandonSurvivesReopenAndTheCounterIsNotReused() {
        URI u = uri("abandon", 1 << 20);
        long orphan;
        try (PageLog log = open(u, "n1")) {
            log.claimEpoch();
            PageLogHandle h = log.openHandle(1);
            long f = h.put(100, PutArgs.full(0), bytes("f"));
            log.completeCheckpoint(1, 0, bytes("m"));
            orphan = h.put(100, PutArgs.delta(f, f), bytes("orphan"));
            log.abandonCheckpoint();
        }
        try (PageLog log = open(u, "n2")) {
            assertEquals(1, log.openHandle(1).get(100, 0).size());
            assertEquals(orphan, log.lastLsn());
            log.claimEpoch();
            assertTrue(log.append(1, bytes("x")) > orphan);
        }
    }

    @Test
    void tornTailIsCutOffOnClaimAndEarlierRecordsSurvive() throws IOException {
        URI u = uri("torn", 1 << 20);
        Path dir = Path.of(u.getPath());
        long kept;
        try (PageLog log = open(u, "n1")) {
            log.claimEpoch();
            for (int i = 0; i < 10; i++) {
                log.append(1, bytes("rec" + i));
            }
            kept = log.lastLsn();
            log.append(1, bytes("the torn one " + "y".repeat(500)));
            log.sync(log.lastLsn());
        }
        Path seg = newestSegment(dir);
        long size = Files.size(seg);
        long[] offs = frameOffsets(seg);
        int tornAt = (int) offs[offs.length - 1];
        byte[] torn = java.util.Arrays.copyOfRange(Files.readAllBytes(seg), tornAt, (int) size - 200);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 200);
        }
        try (PageLog reader = open(u, "reader")) {
            assertEquals(kept, reader.lastLsn(), "a reader treats the torn tail as not yet written");
            assertEquals(10, reader.readLog(0, 100).size());
        }
        try (PageLog log = open(u, "n2")) {
            log.claimEpoch();
            // the writer may have preallocated zeros and written its own records past the cut since, so compare
            // the bytes where the torn record was, not the file's length
            byte[] now = Files.readAllBytes(seg);
            byte[] there = java.util.Arrays.copyOfRange(now, tornAt, Math.min(now.length, tornAt + torn.length));
            assertFalse(java.util.Arrays.equals(torn, there), "the claim cut the torn record off");
            assertEquals(10, logLsns(log).size());
            long next = log.append(1, bytes("after"));
            log.sync(next);
            assertEquals(kept + 1, next);
        }
        try (PageLog log = open(u, "n3")) {
            assertEquals(11, logLsns(log).size());
        }
    }

    @Test
    void corruptLastRecordIsCutOff() throws IOException {
        URI u = uri("flip-last", 1 << 20);
        Path dir = Path.of(u.getPath());
        try (PageLog log = open(u, "n1")) {
            log.claimEpoch();
            for (int i = 0; i < 5; i++) {
                log.append(1, bytes("rec" + i));
            }
            log.sync(log.lastLsn());
        }
        Path seg = newestSegment(dir);
        long[] offs = frameOffsets(seg);
        flipByte(seg, offs[offs.length - 1] + Frame.HEADER + 1);
        try (PageLog log = open(u, "n2")) {
            assertEquals(4, logLsns(log).size());
            log.claimEpoch();
            assertEquals(4, logLsns(log).size());
            log.sync(log.append(1, bytes("new")));
        }
        try (PageLog log = open(u, "n3")) {
            assertEquals(5, logLsns(log).size());
            assertEquals("new", str(log.readLog(0, 10).get(4).payload()));
        }
    }

    @Test
    void corruptMiddleRecordIsReportedNeverSkipped() throws IOException {
        URI u = uri("flip-middle", 1 << 20);
        Path dir = Path.of(u.getPath());
        try (PageLog log = open(u, "n1")) {
            log.claimEpoch();
            for (int i = 0; i < 5; i++) {
                log.append(1, bytes("rec" + i));
            }
            log.sync(log.lastLsn());
        }
        Path seg = newestSegment(dir);
        long[] offs = frameOffsets(seg);
        for (long at : new long[] {offs[2] + Frame.HEADER + 1, offs[2] + Frame.OFF_LENGTH + 3}) {
            flipByte(seg, at);
            StrataException e = assertThrows(StrataException.class, () -> open(u, "n2"));
            assertEquals(ErrorCode.CORRUPTION, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("offset " + offs[2]), e.getMessage());
            flipByte(seg, at);
        }
        try (PageLog log = open(u, "n2")) {
            assertEquals(5, logLsns(log).size());
        }
    }

    @Test
    void bitRotInAStoredPageFailsTheRead() throws IOException {
        URI u = uri("rot", 1 << 20);
        Path dir = Path.of(u.getPath());
        try (PageLog log = open(u, "n1")) {
            log.claimEpoch();
            log.openHandle(1).put(100, PutArgs.full(0), bytes("page image"));
            log.append(1, bytes("later"));
            log.sync(log.lastLsn());
            Path seg = newestSegment(dir);
            long[] offs = frameOffsets(seg);
            flipByte(seg, offs[1] + Frame.HEADER + 2); // offs[0] is the epoch record
            StrataException e =
                    assertThrows(StrataException.class, () -> log.openHandle(1).get(100, 0));
            assertEquals(ErrorCode.CORRUPTION, e.code(), e.getMessage());
        }
    }

    @Test
    void segmentsRollAndReadersFollow() throws IOException {
        URI u = uri("roll", 4096);
        Path dir = Path.of(u.getPath());
        try (PageLog w = open(u, "w");
                PageLog r = open(u, "r")) {
            w.claimEpoch();
            for (int i = 0; i < 200; i++) {
                w.append(1, bytes("record " + i + " " + "z".repeat(i)));
                if (i % 7 == 0) {
                    w.sync(w.lastLsn());
                    assertEquals(w.lastLsn(), r.lastLsn());
                }
            }
            w.sync(w.lastLsn());
            assertEquals(200, logLsns(r).size());
            assertEquals(
                    "record 199 " + "z".repeat(199),
                    str(r.readLog(0, 1000).get(199).payload()));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(
                    s.filter(p -> p.getFileName().toString().startsWith("seg-")).count() > 3);
        }
    }

    @Test
    void unsyncedAppendsAreInvisibleToReadersUntilSync() {
        URI u = uri("visibility", 1 << 20);
        try (PageLog w = open(u, "w");
                PageLog r = open(u, "r")) {
            w.claimEpoch();
            long lsn = w.append(1, bytes("pending"));
            assertEquals(0, r.lastLsn());
            w.sync(lsn);
            assertEquals(lsn, r.lastLsn());
            assertEquals(List.of(lsn), logLsns(r));
        }
    }

    @Test
    void reclaimKeepsTheDirectoryBoundedUnderSteadyUpdates() throws IOException {
        URI u = uri("bounded", 16 << 10);
        Path dir = Path.of(u.getPath());
        long[] sizes = new long[10];
        try (PageLog log = open(u, "n1");
                PageLog follower = open(u, "f")) {
            log.claimEpoch();
            PageLogHandle h = log.openHandle(1);
            long[] full = new long[20];
            byte[] image = new byte[2000];
            for (int round = 0; round < 10; round++) {
                for (int p = 0; p < 20; p++) {
                    full[p] = h.put(100 + p, PutArgs.full(full[p]), image);
                    log.append(1, bytes("commit " + round + "/" + p));
                }
                CheckpointCompletion c = log.completeCheckpoint(round, 0, bytes("r" + round));
                log.reclaim(c.lsn());
                sizes[round] = dirSize(dir);
                // the follower follows through the reclaim
                assertEquals(20, follower.openHandle(1).pageIds(0).length);
                assertEquals(
                        full[7], follower.openHandle(1).get(107, c.lsn()).get(0).lsn());
            }
            assertTrue(sizes[9] < 3 * sizes[2], "directory stays bounded: " + java.util.Arrays.toString(sizes));
            assertTrue(sizes[9] < 200_000, "live data is ~40 KB: " + sizes[9]);
            assertEquals(1, log.completedCheckpoints().size());
            assertTrue(logLsns(log).isEmpty(), "log records at or below the checkpoint are reclaimed");
        }
        try (PageLog reopened = open(u, "n2")) {
            assertEquals(20, reopened.openHandle(1).pageIds(0).length);
            assertEquals(2000, reopened.openHandle(1).get(119, 0).get(0).payload().length);
            reopened.claimEpoch();
            long[] ids = reopened.openHandle(1).pageIds(0);
            long prev = reopened.openHandle(1).get(ids[0], 0).get(0).lsn();
            assertTrue(reopened.openHandle(1).put(ids[0], PutArgs.full(prev), bytes("next")) > prev);
        }
    }

    @Test
    void committersRacingAClaimSeeTheirSyncFailOrTheirRecordSurvive() throws Exception {
        for (int round = 0; round < 5; round++) {
            raceAClaim(uri("race" + round, 1 << 20));
        }
    }

    private void raceAClaim(URI u) throws Exception {
        try (PageLog a = open(u, "a");
                PageLog b = open(u, "b")) {
            a.claimEpoch();
            java.util.Set<Long> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger fenced = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(4);
            List<Thread> threads = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    started.countDown();
                    while (true) {
                        long lsn;
                        try {
                            lsn = a.append(1, bytes("c"));
                        } catch (io.stratadb.api.pagelog.FencedException e) {
                            return;
                        }
                        try {
                            a.sync(lsn);
                            acked.add(lsn);
                        } catch (io.stratadb.api.pagelog.FencedException e) {
                            fenced.incrementAndGet();
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            started.await();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (acked.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(1); // claim while commits are in flight, after at least one was acknowledged
            }
            b.claimEpoch();
            for (Thread th : threads) {
                th.join(10_000);
            }
            java.util.Set<Long> visible = new java.util.HashSet<>(logLsns(b));
            assertTrue(visible.containsAll(acked), "every acknowledged commit is in the log");
            assertTrue(acked.size() > 0);
            long last = b.lastLsn();
            assertTrue(visible.stream().allMatch(l -> l <= last));
            long next = b.append(1, bytes("new leader"));
            assertTrue(next > last);
        }
    }

    @Test
    void aRecordOfAnOlderEpochAfterAnEpochRecordIsNeverVisible() throws IOException {
        URI u = uri("stale", 1 << 20);
        Path dir = Path.of(u.getPath());
        long before;
        try (PageLog a = open(u, "a");
                PageLog b = open(u, "b")) {
            a.claimEpoch();
            before = a.append(1, bytes("a1"));
            a.sync(before);
            b.claimEpoch();
        }
        // forge what a writer that ignored the lock would have appended after the claim: epoch 1, next LSN
        ByteBuffer frame = ByteBuffer.allocate(Frame.HEADER + 5);
        byte[] stale = bytes("stale");
        Frame.encode(
                frame,
                new java.util.zip.CRC32C(),
                RecordKind.LOG,
                0,
                1,
                1,
                before + 1,
                0,
                0,
                0,
                0,
                stale,
                0,
                stale.length);
        frame.flip();
        try (FileChannel ch = FileChannel.open(newestSegment(dir), StandardOpenOption.APPEND)) {
            ch.write(frame);
        }
        try (PageLog reader = open(u, "reader")) {
            assertEquals(List.of(before), logLsns(reader));
            assertEquals(before, reader.lastLsn());
            assertEquals(2, reader.currentEpoch());
        }
    }

    @Test
    void withoutSyncedWritesSyncStillPublishesAndCloseFlushes() {
        URI u = uri("nosync", 1 << 20);
        PageLogOptions noSync = new PageLogOptions("w", false);
        long last;
        try (PageLog w = PageLogProviders.open(u, noSync);
                PageLog r = open(u, "r")) {
            w.claimEpoch();
            long first = w.append(1, bytes("one"));
            assertEquals(0, r.lastLsn());
            w.sync(first);
            assertEquals(first, r.lastLsn());
            last = w.append(1, bytes("two"));
        }
        try (PageLog r = open(u, "r2")) {
            assertEquals(last, r.lastLsn(), "close writes what is buffered");
        }
    }

    @Test
    void interruptedThreadsNeitherFailNorBreakTheLogForOthers() throws Exception {
        URI u = uri("interrupt", 1 << 20);
        try (PageLog w = open(u, "w");
                PageLog r = open(u, "r")) {
            w.claimEpoch();
            long full = w.openHandle(1).put(100, PutArgs.full(0), bytes("page"));
            java.util.concurrent.atomic.AtomicReference<String> result =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = new Thread(() -> {
                Thread.currentThread().interrupt();
                long lsn = w.append(1, bytes("by an interrupted thread"));
                w.sync(lsn);
                String page = str(r.openHandle(1).get(100, 0).get(0).payload());
                result.set(page + " " + r.readLog(0, 10).size() + " "
                        + Thread.currentThread().isInterrupted());
            });
            t.start();
            t.join();
            assertEquals("page 1 true", result.get(), "the calls work and the interrupt flag is kept");
            long lsn = w.append(1, bytes("later"));
            w.sync(lsn);
            assertEquals(2, r.readLog(0, 10).size());
            assertEquals(full, r.openHandle(1).get(100, 0).get(0).lsn());
        }
    }

    private static long dirSize(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
