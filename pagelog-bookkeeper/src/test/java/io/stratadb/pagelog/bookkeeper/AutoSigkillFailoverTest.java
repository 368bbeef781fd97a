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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic failover after a real session loss: the leader runs in its own JVM (its own ZooKeeper session, 4 s
 * timeout) and is killed with SIGKILL; a follower in this JVM with {@code failover=auto} steps up by itself once
 * ZooKeeper expires the dead session, with no manual step-up, and has every commit the leader acknowledged.
 */
@ExtendWith(BookKeeperCluster.Extension.class)
class AutoSigkillFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(AutoSigkillFailoverTest.class);

    @TempDir
    Path dir;

    @Test
    void aFollowerTakesOverByItselfAfterTheLeadersSigkill() throws Exception {
        URI log = URI.create(BookKeeperCluster.get().freshUri("autokill") + "?sessionTimeoutMs=4000");
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
            SigkillFailoverTest.waitFor(out, "READY", 1);
            try (Engine f = StorageProviders.get("strata")
                    .open(EngineConfig.builder()
                            .path(dir.resolve("f"))
                            .pageLog(log)
                            .role(Role.FOLLOWER)
                            .nodeId("f")
                            .durability(Durability.FSYNC)
                            .autoPickup(true)
                            .options(Map.of("checkpoint_interval_ms", "0", "failover", "auto"))
                            .build())) {
                SigkillFailoverTest.waitFor(out, "ACK ", 200);
                assertEquals(Role.FOLLOWER, f.nodeState().role(), "no take-over while the leader lives");
                p.destroyForcibly(); // SIGKILL mid-write: its ZooKeeper session expires some seconds later
                long killed = System.nanoTime();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                long deadline = killed + TimeUnit.SECONDS.toNanos(60);
                while (f.nodeState().role() != Role.LEADER && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                assertEquals(Role.LEADER, f.nodeState().role(), "no automatic step-up within 60 s of the kill");
                LOG.info("automatic take-over {} ms after the leader's SIGKILL (session timeout 4 s)", tookMs);
                Set<Integer> acked = new HashSet<>();
                for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                    if (line.startsWith("ACK ")) {
                        acked.add(Integer.parseInt(line.substring(4).trim()));
                    }
                }
                Set<Integer> missing = new HashSet<>(acked);
                missing.removeAll(keys(f));
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
}
