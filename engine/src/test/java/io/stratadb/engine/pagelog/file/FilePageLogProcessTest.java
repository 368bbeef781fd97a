package io.stratadb.engine.pagelog.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.pagelog.FencedException;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.api.pagelog.PutArgs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code file:} backend shared by several processes: tailing readers, a SIGKILLed writer, fencing. */
class FilePageLogProcessTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());

    @TempDir
    Path tmp;

    private URI uri(String name, long segmentBytes) {
        return URI.create(tmp.resolve(name).toUri() + "?segmentBytes=" + segmentBytes);
    }

    private static PageLog open(URI uri, String node) {
        return PageLogProviders.open(uri, new PageLogOptions(node, true));
    }

    @Test
    void childReaderSeesAPrefixConsistentLogWhileThisJvmWrites() throws Exception {
        URI u = uri("tail", 64 << 10);
        int count = 1500;
        Random rnd = new Random(SEED);
        try (PageLog log = open(u, "parent")) {
            log.claimEpoch();
            try (ChildJvm reader = ChildJvm.start("reader", u.toString(), Integer.toString(count), "60000")) {
                PageLogHandle h = log.openHandle(1);
                long full = 0;
                for (int i = 0; i < count; i++) {
                    long lsn = log.append(1, PageLogChild.record(i, rnd.nextInt(300)));
                    if (i % 10 == 0) {
                        full = h.put(100, PutArgs.full(full), PageLogChild.record(i, 10));
                    }
                    if (rnd.nextInt(4) == 0 || i == count - 1) {
                        log.sync(lsn);
                    }
                }
                String result = reader.expect("OK");
                assertEquals(0, reader.waitFor(), "seed " + SEED);
                assertTrue(result.startsWith("OK"), result + " seed " + SEED);
            }
        }
    }

    @Test
    void writerKilledMidAppendLosesNoSyncedRecord() throws Exception {
        URI u = uri("killed", 256 << 10);
        Random rnd = new Random(SEED);
        int killAfter = 100 + rnd.nextInt(200);
        int lastAck = -1;
        try (ChildJvm writer =
                ChildJvm.start("writer", u.toString(), "100000", Integer.toString(128 << 10), Long.toString(SEED))) {
            writer.expect("READY");
            while (lastAck < killAfter) {
                String line = writer.expect("ACK");
                lastAck = Integer.parseInt(line.split(" ", -1)[1]);
            }
            writer.kill();
        }
        try (PageLog reader = open(u, "reader")) {
            assertAllPresent(reader, lastAck);
        }
        try (PageLog log = open(u, "recovering")) {
            log.claimEpoch(); // cuts a torn tail, if the kill left one
            int n = assertAllPresent(log, lastAck);
            long lsn = log.append(1, PageLogChild.record(n, 1));
            log.sync(lsn);
        }
        try (PageLog again = open(u, "again")) {
            assertAllPresent(again, lastAck);
        }
    }

    /** Every record up to {@code lastAck} is present and records form a gap-free prefix; returns their count. */
    private static int assertAllPresent(PageLog log, int lastAck) {
        List<LogRecord> recs = log.readLog(0, Integer.MAX_VALUE);
        for (int i = 0; i < recs.size(); i++) {
            assertEquals(i, PageLogChild.indexOf(recs.get(i).payload()), "gap at record " + i + ", seed " + SEED);
        }
        assertTrue(recs.size() > lastAck, recs.size() + " records but " + lastAck + " was acknowledged, seed " + SEED);
        return recs.size();
    }

    @Test
    void epochClaimedByAnotherProcessFencesThisOne() throws Exception {
        URI u = uri("fence", 1 << 20);
        try (PageLog log = open(u, "parent")) {
            assertEquals(1, log.claimEpoch());
            PageLogHandle h = log.openHandle(1);
            long full = h.put(100, PutArgs.full(0), "mine".getBytes(StandardCharsets.UTF_8));
            long before = log.append(1, "before".getBytes(StandardCharsets.UTF_8));
            log.sync(before);
            long pending = log.append(1, "unsynced at the claim".getBytes(StandardCharsets.UTF_8));
            try (ChildJvm child = ChildJvm.start("claim", u.toString())) {
                String claimed = child.expect("CLAIMED");
                assertEquals("CLAIMED 2 " + before, claimed);
                assertEquals(2, log.currentEpoch());
                assertEquals("child-claimer", log.epochOwner().orElseThrow());
                assertThrows(FencedException.class, () -> log.sync(pending));
                assertThrows(FencedException.class, () -> log.append(1, new byte[1]));
                assertThrows(FencedException.class, () -> h.put(100, PutArgs.delta(full, full), new byte[1]));
                assertThrows(FencedException.class, () -> log.completeCheckpoint(1, 0, new byte[0]));
                assertEquals(before, log.lastLsn(), "nothing written after the claim is visible");
                child.send("append");
                long childLsn = Long.parseLong(child.expect("LSN").split(" ", -1)[1]);
                assertEquals(before + 1, childLsn);
                List<LogRecord> recs = log.readLog(0, 100);
                assertEquals(
                        List.of(before, childLsn),
                        recs.stream().map(LogRecord::lsn).toList());
                assertEquals(9, recs.get(1).type());
            }
        }
    }
}
