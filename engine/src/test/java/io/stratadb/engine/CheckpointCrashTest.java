package io.stratadb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.Transaction;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.engine.checkpoint.CatalogRoot;
import io.stratadb.engine.checkpoint.CrashPoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM (SIGKILL) at each step of the checkpoint sequence, on one database, and checks after each
 * restart that every acknowledged commit is there, the local turtle agrees with the page log, and new writes
 * plus a new checkpoint pass the page log's chain checks.
 */
class CheckpointCrashTest {
    @TempDir
    Path dir;

    private final Map<Long, Long> uniqueAcked = new HashMap<>();
    private final Map<Long, Long> hotAcked = new HashMap<>();

    @Test
    void everyAcknowledgedCommitSurvivesACrashAtEveryCheckpointStep() throws Exception {
        List<String> steps = List.of(CrashPoint.PAGES, CrashPoint.CATALOG, CrashPoint.TURTLE, CrashPoint.COMPLETE);
        for (int round = 0; round < steps.size(); round++) {
            String step = steps.get(round);
            runChild(step, round);
            boolean prevLeft = Files.exists(dir.resolve("turtle.prev"));
            if (step.equals(CrashPoint.TURTLE) || step.equals(CrashPoint.COMPLETE)) {
                assertTrue(prevLeft, "turtle.prev is present in the window after installing the turtle");
            }
            verifyAfterRestart(step, round);
        }
    }

    private void runChild(String step, int round) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CheckpointCrashChild.class.getName(),
                        dir.toString(),
                        step,
                        Integer.toString(round))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        boolean reached = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] f = line.split(" ", -1);
                    long value = Long.parseLong(f[3]);
                    uniqueAcked.put(Long.parseLong(f[1]), value);
                    hotAcked.put(Long.parseLong(f[2]), value);
                } else if (line.equals("AT " + step)) {
                    reached = true;
                    Thread.sleep(50); // let the writer commit a little more inside the window
                    p.toHandle().destroyForcibly(); // SIGKILL; keeps our end of the pipe open
                    // keep reading: acks printed before the kill are still in the pipe
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(reached, "the child reached checkpoint step " + step);
    }

    /**
     * The value the verifier writes to hot key {@code k} after round {@code round}: above every value of that
     * round and below every value of the next (round r writes {@code r * 10_000_000 + i}), so "a hot key never
     * goes back" holds across rounds even when the next round's first writes to a key are not acknowledged.
     */
    private static long afterRound(int round, long k) {
        return (round + 1) * 10_000_000L - 1 - k;
    }

    private void verifyAfterRestart(String step, int round) throws Exception {
        EngineConfig cfg = EngineConfig.at(dir);
        try (Engine e = StrataEngine.open(cfg)) {
            TableHandle t = e.table("T").orElseThrow();
            try (Session s = e.openSession()) {
                Transaction tx = s.begin();
                for (Map.Entry<Long, Long> a : uniqueAcked.entrySet()) {
                    Object[] row = tx.get(t, new Object[] {a.getKey()});
                    assertNotNull(row, "acknowledged key " + a.getKey() + " lost after a crash at " + step);
                    assertEquals(a.getValue(), row[1]);
                }
                for (Map.Entry<Long, Long> a : hotAcked.entrySet()) {
                    Object[] row = tx.get(t, new Object[] {a.getKey()});
                    assertNotNull(row);
                    assertTrue(
                            (Long) row[1] >= a.getValue(),
                            "hot key " + a.getKey() + " went back from acknowledged " + a.getValue() + " to " + row[1]
                                    + " after a crash at " + step);
                }
                tx.commit();
            }
            assertFalse(Files.exists(dir.resolve("turtle.prev")), "start-up resolved turtle.prev");
            // new writes and a new checkpoint pass the chain checks
            try (Session s = e.openSession()) {
                Transaction tx = s.begin();
                for (long k = 0; k < CheckpointCrashChild.HOT; k++) {
                    tx.upsert(t, new Object[] {k, afterRound(round, k)});
                }
                tx.commit();
            }
            e.checkpoint();
            for (long k = 0; k < CheckpointCrashChild.HOT; k++) {
                hotAcked.put(k, afterRound(round, k));
            }
        }
        byte[] local = Files.readAllBytes(dir.resolve("turtle"));
        try (PageLog pl = PageLogProviders.open(cfg.pageLogUri(), new PageLogOptions("verifier", false))) {
            assertArrayEquals(
                    pl.completedCheckpoint(0).orElseThrow().metadata(),
                    local,
                    "the local turtle is the page log's newest completion after a crash at " + step);
            for (long tableId : new long[] {CatalogRoot.TABLE_ID, 1}) {
                PageLogHandle h = pl.openHandle(tableId);
                for (long pageId : h.pageIds(0)) {
                    assertFalse(h.get(pageId, 0).isEmpty()); // reads re-check every chain rule
                }
            }
        }
    }
}
