package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Durability;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.Role;
import io.stratadb.api.TimestampMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover under load with real processes: a leader JVM commits durably from three threads and is killed with
 * SIGKILL; a follower (this JVM) steps up and must have every acknowledged commit; the old leader's directory,
 * reopened as a follower, catches up and refuses writes.
 */
class FailoverTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedCommitSurvivesTheLeadersSigkillOnTheNewLeader() throws Exception {
        Nodes n = new Nodes(dir, TimestampMode.AUTO, Durability.FSYNC);
        String java = ProcessHandle.current().info().command().orElse("java");
        Path out = dir.resolve("leader.out");
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        FailoverChild.class.getName(),
                        dir.resolve("old-leader").toString(),
                        dir.resolve("pagelog").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(out.toFile()) // a file keeps every line the child printed, also after the kill
                .start();
        try {
            waitFor(out, "READY", 1);
            try (StrataEngine f = StrataEngine.open(n.config("f", Role.FOLLOWER, true))) {
                waitFor(out, "ACK ", 600);
                p.destroyForcibly(); // SIGKILL mid-write
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                Set<Integer> acked = new HashSet<>();
                for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                    if (line.startsWith("ACK ")) {
                        acked.add(Integer.parseInt(line.substring(4).trim()));
                    }
                }
                assertTrue(acked.size() >= 100, "too few commits before the kill: " + acked.size());
                f.stepUp();
                Set<Integer> present = Nodes.rows(f, "T").keySet();
                Set<Integer> missing = new HashSet<>(acked);
                missing.removeAll(present);
                assertTrue(missing.isEmpty(), missing.size() + " acknowledged commits missing, e.g. " + first(missing));
                RolesTest.insert(f, "T", -10, -5, "new leader");
                f.checkpoint();

                try (StrataEngine old = StrataEngine.open(n.config("old-leader", Role.FOLLOWER, true))) {
                    old.catchUp();
                    Set<Integer> seen = Nodes.rows(old, "T").keySet();
                    assertTrue(seen.containsAll(acked), "the restarted old leader catches up");
                    assertTrue(seen.containsAll(List.of(-10, -9, -8, -7, -6)));
                    assertEquals(ErrorCode.NOT_LEADER, code(() -> RolesTest.insert(old, "T", -1, 0, "no")));
                }
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** Waits until {@code out} has {@code count} lines starting with {@code prefix}. */
    private static void waitFor(Path out, String prefix, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            long n = Files.exists(out)
                    ? Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                            .filter(l -> l.startsWith(prefix))
                            .count()
                    : 0;
            if (n >= count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the leader JVM did not print " + count + " lines starting with " + prefix);
    }

    private static Object first(Set<Integer> s) {
        return s.isEmpty() ? "none" : s.iterator().next();
    }
}
