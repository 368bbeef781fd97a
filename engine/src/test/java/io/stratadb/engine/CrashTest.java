package io.stratadb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Cursor;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.Transaction;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that commits durably (SIGKILL via {@code destroyForcibly}) at a random moment, several rounds
 * on one database, and checks after each reopen that every acknowledged two-row transaction is there and that
 * no transaction is there by halves.
 */
class CrashTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedCommitSurvivesSigkillAndNoTransactionIsPartial() throws Exception {
        Random r = new Random(SEED);
        Set<Long> acked = new HashSet<>();
        int rounds = 4;
        int preallocatedTails = 0;
        for (int round = 0; round < rounds; round++) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(
                            java,
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            CrashChild.class.getName(),
                            dir.toString(),
                            Integer.toString(round))
                    .redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
            CountDownLatch ready = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.equals("READY")) {
                            ready.countDown();
                        } else {
                            lines.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the child died mid-line: the partial line was never acknowledged
                }
            });
            reader.start();
            assertTrue(ready.await(30, TimeUnit.SECONDS), "child did not start, seed=" + SEED);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lines.size() < 20 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5); // a loaded machine may take a while before the first commits
            }
            Thread.sleep(r.nextInt(700));
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            reader.join();
            if (hasZeroTail(dir.resolve("pagelog"))) {
                preallocatedTails++;
            }
            int before = acked.size();
            Map<Integer, String> prepared = new HashMap<>();
            for (String l : lines) {
                String[] f = l.split(" ", -1);
                if (f.length == 4 && f[0].equals("ACK")) {
                    acked.add(
                            CrashChild.key(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), 0));
                } else if (f.length == 3) {
                    prepared.put(Integer.parseInt(f[2]), f[0]);
                }
            }
            assertTrue(acked.size() > before, "round " + round + " acknowledged nothing, seed=" + SEED);
            verifyPrepared(prepared, round);
            for (Map.Entry<Integer, String> e : prepared.entrySet()) {
                if (e.getValue().equals("PCOMMIT") || (e.getValue().equals("PREPARED") && e.getKey() % 2 == 0)) {
                    acked.add(CrashChild.key(round, CrashChild.PREPARER, e.getKey(), 0));
                }
            }
            org.slf4j.LoggerFactory.getLogger(CrashTest.class)
                    .warn("round {}: {} prepares acknowledged", round, prepared.size());
            verify(acked, round);
        }
        // the child's page log preallocates zero-filled space ahead of its writes: recovery and the next appends
        // must have found the end of valid data before those zeros
        assertTrue(preallocatedTails > 0, "no round was killed with a preallocated segment tail, seed=" + SEED);
    }

    /** Whether the newest segment of a page-log directory has zeros after its last whole frame. */
    static boolean hasZeroTail(Path pagelog) throws java.io.IOException {
        Path newest;
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(pagelog)) {
            newest = s.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
        java.nio.ByteBuffer all = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(newest));
        int pos = 0;
        while (pos + 64 <= all.limit()) {
            int len = all.getInt(pos);
            if (len < 64 || pos + len > all.limit()) {
                break;
            }
            pos += len;
        }
        for (int i = pos; i < all.limit(); i++) {
            if (all.get(i) != 0) {
                return false;
            }
        }
        return pos + 64 <= all.limit();
    }

    /**
     * Every acknowledged prepare is, after the crash, either still PREPARED (its rows conflict for readers and it
     * can be resolved) or resolved as the child did it; resolves the leftovers: even ones commit, odd ones roll
     * back.
     */
    private void verifyPrepared(Map<Integer, String> prepared, int round) {
        try (Engine e = StrataEngine.open(EngineConfig.builder()
                        .path(dir)
                        .durability(Durability.FSYNC)
                        .build());
                Session s = e.openSession()) {
            TableHandle t = e.table("CRASH").orElseThrow();
            for (Map.Entry<Integer, String> p : prepared.entrySet()) {
                int seq = p.getKey();
                var txn = e.preparedTransaction(CrashChild.xid(round, seq));
                Object[] key = {CrashChild.key(round, CrashChild.PREPARER, seq, 0)};
                if (txn.isPresent()) {
                    assertEquals("PREPARED", p.getValue(), "a resolved prepare came back prepared, seed=" + SEED);
                    Transaction r = s.begin();
                    assertEquals(
                            io.stratadb.api.ErrorCode.PREPARE_CONFLICT,
                            assertThrows(io.stratadb.api.StrataException.class, () -> r.get(t, key))
                                    .code());
                    if (seq % 2 == 0) {
                        txn.get().commit();
                    } else {
                        txn.get().rollback();
                    }
                } else if (!p.getValue().equals("PREPARED")) {
                    Transaction r = s.begin();
                    boolean present = r.get(t, key) != null;
                    r.commit();
                    assertEquals(seq % 2 == 0, present, p.getValue() + " " + seq + " not applied, seed=" + SEED);
                }
            }
            for (var info : e.transactions()) {
                // a prepare made durable just before the kill, never acknowledged: roll it back
                e.preparedTransaction(java.util.Objects.requireNonNull(info.xid()))
                        .orElseThrow()
                        .rollback();
            }
            assertTrue(e.transactions().isEmpty(), "every prepared transaction resolved, seed=" + SEED);
        }
    }

    private void verify(Set<Long> acked, int round) {
        try (Engine e = StrataEngine.open(EngineConfig.builder()
                        .path(dir)
                        .durability(Durability.FSYNC)
                        .build());
                Session s = e.openSession()) {
            TableHandle t = e.table("CRASH").orElseThrow();
            Transaction tx = s.begin();
            Set<Long> present = new HashSet<>();
            Cursor c = tx.cursor(t, KeyRange.all());
            while (c.next()) {
                present.add((Long) c.row()[0]);
            }
            List<Long> missing = new ArrayList<>();
            for (long k : acked) {
                if (!present.contains(k) || !present.contains(k + 1)) {
                    missing.add(k);
                }
            }
            assertEquals(List.of(), missing, "acknowledged commits lost after round " + round + ", seed=" + SEED);
            for (long k : present) {
                long other = (k % 2 == 0) ? k + 1 : k - 1;
                assertTrue(present.contains(other), "half a transaction: key " + k + ", seed=" + SEED);
            }
            tx.commit();
            org.slf4j.LoggerFactory.getLogger(CrashTest.class)
                    .warn("round {}: {} acknowledged txns, {} rows present", round, acked.size(), present.size());
        }
    }
}
