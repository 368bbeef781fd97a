package io.stratadb.pagelog.bookkeeper;

import static io.stratadb.engine.testing.Rows.awaitRows;
import static io.stratadb.engine.testing.Rows.expected;
import static io.stratadb.engine.testing.Rows.insert;
import static io.stratadb.engine.testing.Rows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stratadb.api.Engine;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.Role;
import io.stratadb.api.StrataException;
import io.stratadb.engine.testing.Rows;
import io.stratadb.engine.testing.SharedLogNodes;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's own roles on {@code bookkeeper:}: a follower tails the leader through the shared log, steps up
 * through the engine's normal step-up (which claims the epoch), and the old leader is fenced.
 */
@ExtendWith(BookKeeperCluster.Extension.class)
class FailoverOnBookKeeperTest {
    @TempDir
    Path dir;

    @Test
    void aFollowerTailsStepsUpAndFencesTheOldLeader() throws Exception {
        SharedLogNodes nodes = new SharedLogNodes(
                dir,
                BookKeeperCluster.get().freshUri("failover"),
                Map.of("checkpoint_interval_ms", "0", "publish_interval_ms", "2"));
        try (Engine leader = nodes.open("a", Role.LEADER);
                Engine follower = nodes.open("b", Role.FOLLOWER)) {
            leader.createTable(Rows.schema("KV"), false);
            insert(leader, "KV", 0, 100, "a");
            leader.checkpoint();
            insert(leader, "KV", 100, 150, "a"); // after the checkpoint: only in the log
            SortedMap<Integer, Object> acked = expected(0, 150, "a");
            awaitRows(follower, "KV", acked);

            follower.stepUp(); // claims the epoch: the old leader's ledger is fenced
            StrataException e = assertThrows(StrataException.class, () -> insert(leader, "KV", 150, 151, "lost"));
            assertEquals(ErrorCode.FENCED, e.code(), e.getMessage());
            insert(follower, "KV", 200, 210, "b");
            follower.checkpoint();
            SortedMap<Integer, Object> want = new TreeMap<>(acked);
            want.putAll(expected(200, 210, "b"));
            assertEquals(want, rows(follower, "KV"));
        }
        // the new leader's data is in the page log: a third node with no local files reads it all
        try (Engine c = nodes.open("c", Role.LEADER)) {
            SortedMap<Integer, Object> want = expected(0, 150, "a");
            want.putAll(expected(200, 210, "b"));
            assertEquals(want, rows(c, "KV"));
        }
    }
}
