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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM (SIGKILL) at a random moment while eviction, background checkpoints and four fsync writers
 * run, several rounds on one database; after each restart every acknowledged commit is there, no hot key went
 * back, and new writes plus a checkpoint pass the page log's chain checks. Accepts {@code -Dseed=}.
 */
class EvictionCrashTest {
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    private final Map<Long, Long> uniqueAcked = new HashMap<>();
    private final Map<Long, Long> hotAcked = new HashMap<>();
    private long maxEvictions;

    @Test
    void everyAcknowledgedCommitSurvivesASigkillWhileEvicting() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            long killAfterMs = 200L + rnd.nextInt(2000);
            String where =
                    "round " + round + ", kill " + killAfterMs + " ms after the first eviction (seed " + seed + ")";
            runChild(round, killAfterMs, where);
            verifyAfterRestart(round, where);
        }
        assertTrue(maxEvictions > 0, "the child evicted leaves (seed " + seed + ")");
    }

    private void runChild(int round, long killAfterMs, String where) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        EvictionCrashChild.class.getName(),
                        dir.toString(),
                        Integer.toString(round))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int acks = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(60);
            boolean killed = false;
            long evictingSince = -1; // the kill is timed from the child's first eviction, however slow its start
            String line;
            while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] f = line.split(" ", -1);
                    long value = Long.parseLong(f[3]);
                    uniqueAcked.put(Long.parseLong(f[1]), value);
                    hotAcked.merge(Long.parseLong(f[2]), value, Math::max);
                    acks++;
                } else if (line.startsWith("STATS ")) {
                    long evictions = Long.parseLong(line.split(" ", -1)[1]);
                    maxEvictions = Math.max(maxEvictions, evictions);
                    if (evictions > 0 && evictingSince < 0) {
                        evictingSince = System.nanoTime();
                    }
                }
                if (!killed
                        && acks > 0
                        && evictingSince >= 0
                        && System.nanoTime() - evictingSince > TimeUnit.MILLISECONDS.toNanos(killAfterMs)) {
                    killed = true;
                    p.toHandle().destroyForcibly(); // SIGKILL; acks already in the pipe are still read
                }
            }
            assertTrue(killed, "the child started evicting within 60 s, " + where);
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(acks > 0, "the child acknowledged commits in " + where);
    }

    private void verifyAfterRestart(int round, String where) throws Exception {
        // the verifier runs no background checkpoint, so turtle.prev can only be a leftover of the crash
        EngineConfig cfg = EvictionCrashChild.config(dir, false);
        try (Engine e = StrataEngine.open(cfg)) {
            assertFalse(Files.exists(dir.resolve("turtle.prev")), "start-up resolved turtle.prev, " + where);
            TableHandle t = e.table("T").orElseThrow();
            try (Session s = e.openSession()) {
                Transaction tx = s.begin();
                for (Map.Entry<Long, Long> a : uniqueAcked.entrySet()) {
                    Object[] row = tx.get(t, new Object[] {a.getKey()});
                    assertNotNull(row, "acknowledged key " + a.getKey() + " lost, " + where);
                    assertEquals(a.getValue(), row[1], "key " + a.getKey() + ", " + where);
                }
                for (Map.Entry<Long, Long> a : hotAcked.entrySet()) {
                    Object[] row = tx.get(t, new Object[] {a.getKey()});
                    assertNotNull(row, "hot key " + a.getKey() + " lost, " + where);
                    assertTrue(
                            (Long) row[1] >= a.getValue(),
                            "hot key " + a.getKey() + " went back from " + a.getValue() + " to " + row[1] + ", "
                                    + where);
                }
                tx.commit();
            }
            long next = (round + 1) * 100_000_000L - 1; // above this round's values, below the next round's
            try (Session s = e.openSession()) {
                Transaction tx = s.begin();
                for (long k = 0; k < EvictionCrashChild.WRITERS * EvictionCrashChild.HOT; k += 3) {
                    tx.upsert(t, new Object[] {k, next, "after"});
                    hotAcked.put(k, next);
                }
                tx.commit();
            }
            e.checkpoint();
        }
        byte[] local = Files.readAllBytes(dir.resolve("turtle"));
        try (PageLog pl = PageLogProviders.open(cfg.pageLogUri(), new PageLogOptions("verifier", false))) {
            assertArrayEquals(pl.completedCheckpoint(0).orElseThrow().metadata(), local, where);
            for (long tableId : new long[] {CatalogRoot.TABLE_ID, 1}) {
                PageLogHandle h = pl.openHandle(tableId);
                for (long pageId : h.pageIds(0)) {
                    assertFalse(h.get(pageId, 0).isEmpty(), where); // reads re-check every chain rule
                }
            }
        }
    }
}
