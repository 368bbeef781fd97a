package io.stratadb.engine.pagelog.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reclaim copies live records forward in pieces, so durable appends go on while it runs, interleaved with the
 * copies; every record, copied or new, must read back right, in this instance and after a reopen.
 */
class PieceReclaimTest {
    @TempDir
    Path tmp;

    private static byte[] page(long id, int version) {
        byte[] b = new byte[4000];
        Arrays.fill(b, (byte) (id * 31 + version));
        return b;
    }

    @Test
    void appendsGoOnWhileAReclaimCopiesAndEverythingReadsBack() throws Exception {
        URI u = URI.create(tmp.resolve("log").toUri() + "?segmentBytes=" + (4 << 20));
        List<String> appended = new ArrayList<>();
        int pages = 3000; // 12 MB of live page images: dozens of pieces
        try (PageLog log = PageLogProviders.open(u, new PageLogOptions("n1", true))) {
            log.claimEpoch();
            PageLogHandle h = log.openHandle(7);
            long[] lsns = new long[pages];
            for (int p = 0; p < pages; p++) {
                lsns[p] = h.put(100 + p, PutArgs.full(0), page(p, 0));
            }
            CheckpointCompletion c = log.completeCheckpoint(10, 10, new byte[] {1});
            AtomicBoolean reclaiming = new AtomicBoolean();
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger duringReclaim = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread appender = new Thread(() -> {
                try {
                    for (int i = 0; !done.get(); i++) {
                        String s = "commit " + i;
                        boolean before = reclaiming.get();
                        log.sync(log.append(1, s.getBytes(StandardCharsets.UTF_8)));
                        synchronized (appended) {
                            appended.add(s);
                        }
                        if (before && reclaiming.get()) {
                            duringReclaim.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            appender.start();
            while (appended.isEmpty()) {
                Thread.sleep(1);
            }
            reclaiming.set(true);
            log.reclaim(c.lsn());
            reclaiming.set(false);
            done.set(true);
            appender.join();
            assertEquals(null, failure.get());
            // holding the lock for the whole copy would let at most the one blocked append slip through
            assertTrue(
                    duringReclaim.get() > 2, duringReclaim.get() + " durable appends completed while the reclaim ran");
            assertTrue(Segments.list(Path.of(u.getPath())).get(0) > 1, "the old segments were deleted");
            checkAll(log, appended, pages);
        }
        try (PageLog log = PageLogProviders.open(u, new PageLogOptions("n2", true))) {
            checkAll(log, appended, pages);
            log.claimEpoch();
            checkAll(log, appended, pages);
        }
    }

    private static void checkAll(PageLog log, List<String> appended, int pages) {
        List<String> read = log.readLog(0, 1_000_000).stream()
                .map(LogRecord::payload)
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .toList();
        assertEquals(appended, read);
        PageLogHandle h = log.openHandle(7);
        for (int p = 0; p < pages; p++) {
            List<PageRecord> chain = h.get(100 + p, 0);
            assertEquals(1, chain.size(), "page " + (100 + p));
            assertArrayEquals(page(p, 0), chain.get(0).payload(), "page " + (100 + p));
        }
    }
}
