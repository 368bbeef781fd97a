package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Durability;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.Role;
import io.stratadb.api.TimestampMode;
import io.stratadb.engine.testing.CommittingLeader;
import io.stratadb.engine.testing.LeaderJvm;
import io.stratadb.engine.testing.Rows;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
        try (LeaderJvm leader = LeaderJvm.start(dir, URI.create("file:" + dir.resolve("pagelog")));
                StrataEngine f = StrataEngine.open(n.config("f", Role.FOLLOWER, true))) {
            leader.awaitAcks(600);
            leader.kill(); // SIGKILL mid-write
            Set<Integer> acked = leader.acknowledgedKeys();
            assertTrue(acked.size() >= 100, "too few commits before the kill: " + acked.size());
            f.stepUp();
            Set<Integer> missing = Rows.missing(f, "T", acked);
            assertTrue(missing.isEmpty(), missing.size() + " acknowledged commits missing, e.g. " + first(missing));
            RolesTest.insert(f, "T", -10, -5, "new leader");
            f.checkpoint();

            try (StrataEngine old = StrataEngine.open(n.config(CommittingLeader.NODE, Role.FOLLOWER, true))) {
                old.catchUp();
                Set<Integer> seen = Nodes.rows(old, "T").keySet();
                assertTrue(seen.containsAll(acked), "the restarted old leader catches up");
                assertTrue(seen.containsAll(List.of(-10, -9, -8, -7, -6)));
                assertEquals(ErrorCode.NOT_LEADER, code(() -> RolesTest.insert(old, "T", -1, 0, "no")));
            }
        }
    }

    private static Object first(Set<Integer> s) {
        return s.isEmpty() ? "none" : s.iterator().next();
    }
}
