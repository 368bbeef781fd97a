package io.stratadb.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.Transaction;
import io.stratadb.engine.StrataEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file page log stays bounded under a steady update workload with periodic checkpoints. */
class SpaceTest {
    @TempDir
    Path dir;

    /** What one file of the page log directory holds. */
    private record FileBytes(long length, long trailingZeros) {}

    private static FileBytes measure(Path f) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
            long length = ch.size();
            long end = length;
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64 << 10);
            while (end > 0) {
                long from = Math.max(0, end - buf.capacity());
                buf.clear().limit((int) (end - from));
                while (buf.hasRemaining() && ch.read(buf, from + buf.position()) >= 0) {
                    // read the whole piece
                }
                int i = buf.position() - 1;
                while (i >= 0 && buf.get(i) == 0) {
                    i--;
                }
                if (i >= 0) {
                    return new FileBytes(length, end - (from + i + 1));
                }
                end = from;
            }
            return new FileBytes(length, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The bytes the page log directory holds, less the zeros the writer preallocates ahead of its end (up to
     * {@code SegmentWriter.AHEAD} past the newest segment's valid data, and the next segment's spare file): how
     * much is preallocated at a given moment depends on when the preallocating thread last ran, the live bytes do
     * not. Returns {live bytes, preallocated bytes}.
     */
    private static long[] size(Path p) {
        try (Stream<Path> files = Files.walk(p)) {
            long live = 0;
            long zeros = 0;
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                FileBytes b = measure(f);
                live += b.length() - b.trailingZeros();
                zeros += b.trailingZeros();
            }
            return new long[] {live, zeros};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long peak(List<Long> sizes, int from, int to) {
        return sizes.subList(from, to).stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    @Test
    void pageLogDirectoryStaysBoundedWithPeriodicCheckpoints() {
        EngineConfig cfg = EngineConfig.at(dir);
        List<Long> sizes = new ArrayList<>();
        long maxZeros = 0;
        List<String> files = new ArrayList<>();
        String pad = "x".repeat(200);
        int rounds = 30;
        try (Engine e = StrataEngine.open(cfg)) {
            TableHandle kv = e.createTable(CheckpointTest.KV, false);
            try (Session s = e.openSession()) {
                for (int round = 0; round < rounds; round++) {
                    Transaction t = s.begin();
                    for (int k = 0; k < 300; k++) {
                        t.upsert(kv, new Object[] {k, round + pad});
                    }
                    t.commit();
                    e.checkpoint();
                    long[] bytes = size(dir.resolve("pagelog"));
                    sizes.add(bytes[0]);
                    maxZeros = Math.max(maxZeros, bytes[1]);
                    files.add(java.util.Arrays.toString(
                            dir.resolve("pagelog").toFile().list()));
                }
            }
        }
        org.slf4j.LoggerFactory.getLogger(SpaceTest.class)
                .info("page-log live bytes after each checkpoint: {}; preallocated at most {}", sizes, maxZeros);
        // Space cycles: it grows with each checkpoint until a reclaim (which waits until the page records held
        // have doubled) cuts it back, and the redo window decides how much log stays. So compare peaks over
        // windows of ten rounds, each holding several reclaims: in a steady state the later peak is no higher,
        // while without reclaim (one round writes ~70 KB of log and ~70 KB of pages) it would be twice as high.
        long early = peak(sizes, 5, 15);
        long late = peak(sizes, rounds - 10, rounds);
        assertTrue(
                late <= early * 3 / 2,
                "page log grew from " + early + " to " + late + " bytes: " + sizes + " " + files);
        // the preallocated zeros stay within the writer's bound (2 MB ahead of the end; no spare below half a
        // segment), so the directory as a whole is bounded too
        assertTrue(maxZeros <= 2 << 20, "preallocated " + maxZeros + " bytes");
        try (Engine e = StrataEngine.open(cfg)) {
            try (Session s = e.openSession()) {
                Object[] row = s.begin().get(e.table("KV").orElseThrow(), new Object[] {7});
                assertEquals((rounds - 1) + pad, row == null ? null : row[1]);
            }
        }
    }
}
