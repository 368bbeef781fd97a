package io.stratadb.pagelog.bookkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Cursor;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.Transaction;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader in its own JVM commits durably on {@code bookkeeper:} from three threads and is killed with SIGKILL;
 * a follower in this JVM steps up (the engine's step-up) and has every commit the leader acknowledged.
 */
@ExtendWith(BookKeeperCluster.Extension.class)
class SigkillFailoverTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedCommitSurvivesTheLeadersSigkill() throws Exception {
        URI log = BookKeeperCluster.get().freshUri("sigkill");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path out = dir.resolve("leader.out");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LeaderChild.class.getName(),
                        dir.resolve("old-leader").toString(),
                        log.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(out.toFile())
                .start();
        try {
            waitFor(out, "READY", 1);
            try (Engine f = StorageProviders.get("strata")
                    .open(EngineConfig.builder()
                            .path(dir.resolve("f"))
                            .pageLog(log)
                            .role(Role.FOLLOWER)
                            .nodeId("f")
                            .durability(Durability.FSYNC)
                            .autoPickup(true)
                            .options(Map.of("checkpoint_interval_ms", "0"))
                            .build())) {
                waitFor(out, "ACK ", 300);
                p.destroyForcibly(); // SIGKILL mid-write
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                Set<Integer> acked = new HashSet<>();
                for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                    if (line.startsWith("ACK ")) {
                        acked.add(Integer.parseInt(line.substring(4).trim()));
                    }
                }
                assertTrue(acked.size() >= 300, "too few commits before the kill: " + acked.size());
                f.stepUp(); // recovers (fences) the dead leader's ledger, then drains
                Set<Integer> present = keys(f);
                Set<Integer> missing = new HashSet<>(acked);
                missing.removeAll(present);
                assertEquals(
                        Set.of(), missing, missing.size() + " of " + acked.size() + " acknowledged commits missing");
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private static Set<Integer> keys(Engine e) {
        Set<Integer> out = new HashSet<>();
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            try (Cursor c = x.cursor(e.table("T").orElseThrow(), KeyRange.all())) {
                while (c.next()) {
                    out.add((Integer) c.row()[0]);
                }
            }
            x.commit();
        }
        return out;
    }

    /** Waits until {@code out} has {@code count} lines starting with {@code prefix}. */
    static void waitFor(Path out, String prefix, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            long n = Files.exists(out)
                    ? Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                            .filter(l -> l.startsWith(prefix))
                            .count()
                    : 0;
            if (n >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the leader JVM did not print " + count + " lines starting with '" + prefix + "'");
    }
}
