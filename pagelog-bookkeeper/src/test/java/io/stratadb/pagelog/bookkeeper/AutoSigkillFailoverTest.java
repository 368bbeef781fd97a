package io.stratadb.pagelog.bookkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stratadb.api.Engine;
import io.stratadb.api.Role;
import io.stratadb.engine.testing.CommittingLeader;
import io.stratadb.engine.testing.LeaderJvm;
import io.stratadb.engine.testing.Leadership;
import io.stratadb.engine.testing.Rows;
import io.stratadb.engine.testing.SharedLogNodes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
        SharedLogNodes nodes = new SharedLogNodes(dir, log, Map.of("checkpoint_interval_ms", "0", "failover", "auto"));
        try (LeaderJvm leader = LeaderJvm.start(dir, log, "-Xmx256m", "-XX:TieredStopAtLevel=1");
                Engine f = nodes.open("f", Role.FOLLOWER)) {
            leader.awaitAcks(200);
            assertEquals(Role.FOLLOWER, f.nodeState().role(), "no take-over while the leader lives");
            leader.kill(); // SIGKILL mid-write: its ZooKeeper session expires some seconds later
            long killed = System.nanoTime();
            assertEquals(
                    f,
                    Leadership.awaitLeader(Duration.ofSeconds(60), f),
                    "an automatic step-up within 60 s of the kill");
            LOG.info(
                    "automatic take-over {} ms after the leader's SIGKILL (session timeout 4 s)",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            Set<Integer> acked = leader.acknowledgedKeys();
            Set<Integer> missing = Rows.missing(f, CommittingLeader.TABLE, acked);
            assertEquals(Set.of(), missing, missing.size() + " of " + acked.size() + " acknowledged commits missing");
        }
    }
}
