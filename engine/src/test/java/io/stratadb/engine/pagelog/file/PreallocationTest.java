package io.stratadb.engine.pagelog.file;

import static io.stratadb.engine.pagelog.file.FilePageLogTest.bytes;
import static io.stratadb.engine.pagelog.file.FilePageLogTest.open;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preallocated segments of the {@code file:} backend: the end of valid data is the first all-zero frame header,
 * a crash leaves zeros (and perhaps a torn frame) after it, and every reader, claim and append must find that end
 * and nothing past it. A crash image is a copy of the directory taken while the writer is open, after a sync:
 * what a SIGKILL would leave (the process tests kill real writers).
 */
class PreallocationTest {
    private static final int SEGMENT = 64 << 10;

    @TempDir
    Path tmp;

    private URI uri(String name, long segmentBytes) {
        return URI.create(tmp.resolve(name).toUri() + "?segmentBytes=" + segmentBytes);
    }

    private static List<String> payloads(PageLog log) {
        return log.readLog(0, 1_000_000).stream()
                .map(r -> new String(r.payload(), StandardCharsets.UTF_8))
                .toList();
    }

    /** Copies every file of {@code from} to a new directory {@code name}: a crash image. */
    private URI crashImage(URI from, String name) throws IOException {
        Path src = Path.of(from.getPath());
        Path dst = tmp.resolve(name);
        Files.createDirectories(dst);
        try (Stream<Path> s = Files.list(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, dst.resolve(p.getFileName()));
            }
        }
        return uri(name, SEGMENT);
    }

    private static void awaitLength(Path file, long length) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(file) || Files.size(file) < length) {
            assertTrue(System.nanoTime() < deadline, file + " never reached " + length + " bytes");
            Thread.sleep(5);
        }
    }

    /** A log of 20 synced records whose segment is preallocated to its full size, and its crash image. */
    private URI preallocatedImage(String name) throws Exception {
        URI u = uri(name, SEGMENT);
        try (PageLog log = open(u, "n1")) {
            log.claimEpoch();
            for (int i = 0; i < 20; i++) {
                log.append(1, bytes("rec" + i));
            }
            log.sync(log.lastLsn());
            awaitLength(Segments.path(Path.of(u.getPath()), 1), SEGMENT);
            return crashImage(u, name + "-crash");
        }
    }

    private static long validEnd(Path segment) throws IOException {
        long[] offs = FilePageLogTest.frameOffsets(segment);
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(segment));
        long last = offs[offs.length - 1];
        return last + all.getInt((int) last);
    }

    private static void writeAt(Path file, long at, byte[] b) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(b), at);
        }
    }

    private static List<String> twenty() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.add("rec" + i);
        }
        return out;
    }

    @Test
    void zerosAfterTheLastFrameEndTheLogAndTheNextAppendLandsRightAfterIt() throws Exception {
        URI crash = preallocatedImage("zeros");
        Path seg = Segments.path(Path.of(crash.getPath()), 1);
        assertEquals(SEGMENT, Files.size(seg), "the crash image keeps the preallocated zeros");
        long end = validEnd(seg);
        assertTrue(end < SEGMENT / 4, "20 small records use little of the segment: " + end);
        try (PageLog reader = open(crash, "reader")) {
            assertEquals(twenty(), payloads(reader), "a reader stops at the zeros");
        }
        try (PageLog log = open(crash, "n2")) {
            log.claimEpoch();
            log.sync(log.append(1, bytes("after")));
        }
        long[] offs = FilePageLogTest.frameOffsets(seg);
        long[] epochAndAfter = {offs[offs.length - 2], offs[offs.length - 1]};
        assertEquals(end, epochAndAfter[0], "the new writer's first frame starts at the old end of valid data");
        assertEquals(Files.size(seg), validEnd(seg), "a clean close cuts the zeros off again");
        try (PageLog log = open(crash, "n3")) {
            List<String> expected = new ArrayList<>(twenty());
            expected.add("after");
            assertEquals(expected, payloads(log));
        }
    }

    @Test
    void aTornFrameBeforeTheZerosIsCutOffAndTheAppendReplacesIt() throws Exception {
        URI crash = preallocatedImage("torn");
        Path seg = Segments.path(Path.of(crash.getPath()), 1);
        long end = validEnd(seg);
        // a frame of 300 bytes of which only the first 100 reached the disk
        ByteBuffer torn = ByteBuffer.allocate(100);
        torn.putInt(300).putInt(0x12345678).put((byte) Frame.VERSION).put((byte) RecordKind.LOG.code);
        while (torn.hasRemaining()) {
            torn.put((byte) 'z');
        }
        writeAt(seg, end, torn.array());
        try (PageLog reader = open(crash, "reader")) {
            assertEquals(twenty(), payloads(reader), "a reader treats the torn frame as not yet written");
        }
        try (PageLog log = open(crash, "n2")) {
            log.claimEpoch();
            log.sync(log.append(1, bytes("after")));
        }
        try (PageLog log = open(crash, "n3")) {
            List<String> expected = new ArrayList<>(twenty());
            expected.add("after");
            assertEquals(expected, payloads(log));
        }
    }

    @Test
    void bytesOfALostWriteAfterTheZeroHeaderAreCutOff() throws Exception {
        URI crash = preallocatedImage("lost-page");
        Path seg = Segments.path(Path.of(crash.getPath()), 1);
        long end = validEnd(seg);
        // the second page of an unacknowledged write reached the disk, its first page did not
        byte[] junk = new byte[200];
        java.util.Arrays.fill(junk, (byte) 'q');
        writeAt(seg, (end / 4096 + 1) * 4096, junk);
        try (PageLog log = open(crash, "n2")) {
            assertEquals(twenty(), payloads(log));
            log.claimEpoch();
            log.sync(log.append(1, bytes("after")));
        }
        try (PageLog log = open(crash, "n3")) {
            assertEquals(21, payloads(log).size());
        }
    }

    @Test
    void aValidFrameAfterTheZerosIsCorruptionBeforeTheEnd() throws Exception {
        URI crash = preallocatedImage("hole");
        Path seg = Segments.path(Path.of(crash.getPath()), 1);
        long[] offs = FilePageLogTest.frameOffsets(seg);
        long end = validEnd(seg);
        byte[] all = Files.readAllBytes(seg);
        // a page of acknowledged records reads back as zeros: the frames after it are still valid
        long holeAt = offs[5];
        byte[] zeros = new byte[(int) (offs[8] - holeAt)];
        writeAt(seg, holeAt, zeros);
        StrataException e = assertThrows(StrataException.class, () -> {
            try (PageLog log = open(crash, "n2")) {
                log.claimEpoch();
            }
        });
        assertEquals(ErrorCode.CORRUPTION, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("offset " + holeAt), e.getMessage());
        writeAt(seg, holeAt, java.util.Arrays.copyOfRange(all, (int) holeAt, (int) offs[8]));
        try (PageLog log = open(crash, "n3")) {
            log.claimEpoch();
            assertEquals(twenty(), payloads(log));
        }
        assertTrue(end > holeAt);
    }

    @Test
    void anOlderSegmentWithZerosThenDataIsCorruptButZerosAloneAreItsEnd() throws Exception {
        URI u = uri("older", 8192);
        Path dir = Path.of(u.getPath());
        try (PageLog log = open(u, "n1")) {
            log.claimEpoch();
            for (int i = 0; i < 100; i++) {
                log.sync(log.append(1, bytes("r" + i + "-" + "x".repeat(100))));
            }
        }
        Path first = Segments.path(dir, 1);
        long len = Files.size(first);
        // fewer zeros than a frame header (a segment size that is no multiple of 64) end it as well
        writeAt(first, len + 9, new byte[] {0});
        try (PageLog log = open(u, "n1b")) {
            assertEquals(100, log.readLog(0, 1000).size());
        }
        byte[] firstFrame = java.util.Arrays.copyOf(Files.readAllBytes(first), 200);
        // a crash after the roll but before the old segment was cut to its end leaves zeros there
        writeAt(first, len + 4095, new byte[] {0});
        try (PageLog log = open(u, "n2")) {
            assertEquals(100, log.readLog(0, 1000).size());
        }
        ByteBuffer f = ByteBuffer.wrap(firstFrame);
        writeAt(first, len + 1024, java.util.Arrays.copyOf(firstFrame, f.getInt(0)));
        StrataException e = assertThrows(StrataException.class, () -> open(u, "n3"));
        assertEquals(ErrorCode.CORRUPTION, e.code(), e.getMessage());
    }

    @Test
    void aFollowerTailsAcrossSegmentSwitchesToPreparedSpares() throws Exception {
        URI u = uri("follow", 8192);
        Path dir = Path.of(u.getPath());
        List<String> written = new ArrayList<>();
        try (PageLog w = open(u, "w");
                PageLog r = open(u, "r")) {
            w.claimEpoch();
            long lastSegment = 1;
            java.util.Set<Long> spares = new java.util.HashSet<>();
            for (int i = 0; i < 300; i++) {
                String p = "r" + i + "-" + "y".repeat(i % 50);
                w.sync(w.append(1, bytes(p)));
                written.add(p);
                List<String> seen = payloads(r);
                assertEquals(written, seen, "the follower sees exactly what was synced, after record " + i);
                try (Stream<Path> files = Files.list(dir)) {
                    files.map(f -> f.getFileName().toString())
                            .filter(n -> n.endsWith(".log.spare"))
                            .forEach(n -> spares.add(Long.parseLong(n.substring(4, 20))));
                }
                List<Long> segs = Segments.list(dir);
                long newest = segs.get(segs.size() - 1);
                if (newest != lastSegment) {
                    lastSegment = newest;
                    // let the preallocator prepare the next spare before the writer needs it
                    awaitLength(Segments.path(dir, newest), 8192);
                }
                if (i % 20 == 0) {
                    Thread.sleep(20);
                }
            }
            long current = lastSegment;
            assertTrue(
                    spares.stream().anyMatch(n -> n < current && Files.exists(Segments.path(dir, n))),
                    "a prepared spare became a segment of the log: spares " + spares);
            assertTrue(lastSegment > 3, "the log rolled several times: " + lastSegment);
        }
        try (PageLog r = open(u, "again")) {
            assertEquals(written, payloads(r));
            for (LogRecord rec : r.readLog(0, 1000)) {
                assertArrayEquals(bytes(written.get((int) (rec.lsn() - 1))), rec.payload());
            }
        }
    }

    @Test
    void zerosAreAddedInWholePiecesNotAfterEveryCommit() throws Exception {
        URI u = uri("pieces", 64L << 20);
        Path seg = Segments.path(Path.of(u.getPath()), 1);
        try (PageLog log = open(u, "n1")) {
            log.claimEpoch();
            awaitLength(seg, SegmentWriter.CHUNK);
            for (int i = 0; i < 200; i++) {
                log.sync(log.append(1, bytes("commit " + i)));
            }
            Thread.sleep(200); // time for the preallocator to (wrongly) follow the writer
            long length = Files.size(seg);
            // following the writer byte by byte would make every step an append plus a force beside the commits'
            assertEquals(0, length % SegmentWriter.CHUNK, "the segment grew by " + length + " bytes, not in pieces");
        }
    }
}
