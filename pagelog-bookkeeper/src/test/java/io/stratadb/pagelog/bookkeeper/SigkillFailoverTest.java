package io.stratadb.pagelog.bookkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Engine;
import io.stratadb.api.Role;
import io.stratadb.engine.testing.CommittingLeader;
import io.stratadb.engine.testing.LeaderJvm;
import io.stratadb.engine.testing.Rows;
import io.stratadb.engine.testing.SharedLogNodes;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
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
        SharedLogNodes nodes = new SharedLogNodes(dir, log, Map.of("checkpoint_interval_ms", "0"));
        try (LeaderJvm leader = LeaderJvm.start(dir, log, "-Xmx256m", "-XX:TieredStopAtLevel=1");
                Engine f = nodes.open("f", Role.FOLLOWER)) {
            leader.awaitAcks(300);
            leader.kill(); // SIGKILL mid-write
            Set<Integer> acked = leader.acknowledgedKeys();
            assertTrue(acked.size() >= 300, "too few commits before the kill: " + acked.size());
            f.stepUp(); // recovers (fences) the dead leader's ledger, then drains
            Set<Integer> missing = Rows.missing(f, CommittingLeader.TABLE, acked);
            assertEquals(Set.of(), missing, missing.size() + " of " + acked.size() + " acknowledged commits missing");
        }
    }
}
