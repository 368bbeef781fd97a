package io.stratadb.pagelog.bookkeeper;

import static io.stratadb.engine.testing.Leadership.awaitLeader;
import static io.stratadb.engine.testing.Rows.awaitRows;
import static io.stratadb.engine.testing.Rows.expected;
import static io.stratadb.engine.testing.Rows.insert;
import static io.stratadb.engine.testing.Rows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.Role;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.StrataException;
import io.stratadb.engine.testing.Rows;
import io.stratadb.engine.testing.SharedLogNodes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic failover ({@code failover=auto}) on {@code bookkeeper:}: when the leader's token vanishes, exactly
 * one follower steps up by itself, with every committed row; the other keeps following the new leader; the old
 * leader, still running, is fenced on its next write.
 */
@ExtendWith(BookKeeperCluster.Extension.class)
class AutoFailoverOnBookKeeperTest {
    private static final Duration TAKE_OVER = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private SharedLogNodes nodes(URI log) {
        return new SharedLogNodes(
                dir, log, Map.of("checkpoint_interval_ms", "0", "publish_interval_ms", "2", "failover", "auto"));
    }

    @Test
    void whenTheLeadersTokenVanishesExactlyOneFollowerTakesOverAndTheOldLeaderIsFenced() throws Exception {
        URI log = BookKeeperCluster.get().freshUri("autofail");
        SharedLogNodes nodes = nodes(log);
        try (Engine a = nodes.open("a", Role.LEADER);
                Engine b = nodes.open("b", Role.FOLLOWER);
                Engine c = nodes.open("c", Role.FOLLOWER);
                CuratorFramework zk = CuratorFrameworkFactory.newClient(
                        BookKeeperCluster.get().zkConnect(), new RetryOneTime(100))) {
            zk.start();
            a.createTable(Rows.schema("KV"), false);
            insert(a, "KV", 0, 100, "a");
            a.checkpoint();
            insert(a, "KV", 100, 150, "a"); // after the checkpoint: only in the log
            SortedMap<Integer, Object> acked = expected(0, 150, "a");
            awaitRows(b, "KV", acked);
            awaitRows(c, "KV", acked);
            String token = log.getPath() + "/leader";
            assertEquals("a", new String(zk.getData().forPath(token), StandardCharsets.UTF_8), "the leader's token");

            // what ZooKeeper does when the leader's session expires: its ephemeral token is deleted; 'a' runs on
            zk.delete().forPath(token);
            Engine winner = awaitLeader(TAKE_OVER, b, c);
            Engine loser = winner == b ? c : b;
            Thread.sleep(500); // a second step-up, if there were one, would have started by now
            assertEquals(Role.FOLLOWER, loser.nodeState().role(), "exactly one follower steps up");
            assertEquals(Role.LEADER, winner.nodeState().role());
            String winnerId = winner == b ? "b" : "c";
            assertEquals(winnerId, new String(zk.getData().forPath(token), StandardCharsets.UTF_8));
            assertEquals(acked, rows(winner, "KV"), "every committed row is on the new leader");

            StrataException e = assertThrows(StrataException.class, () -> insert(a, "KV", 150, 151, "lost"));
            assertEquals(ErrorCode.FENCED, e.code(), e.getMessage());

            insert(winner, "KV", 200, 210, winnerId);
            SortedMap<Integer, Object> want = new TreeMap<>(acked);
            want.putAll(expected(200, 210, winnerId));
            awaitRows(loser, "KV", want); // the other follower follows the new leader

            // the new leader closes: its token goes with it, and the last follower takes over
            winner.close();
            assertEquals(loser, awaitLeader(TAKE_OVER, loser));
            assertEquals(want, rows(loser, "KV"));
            insert(loser, "KV", 300, 301, "last");
        }
    }

    @Test
    void aFollowerWhoseOwnSessionExpiredStillTakesOver() throws Exception {
        URI log = BookKeeperCluster.get().freshUri("autofail-expiry");
        // a different session timeout gives the follower a ZooKeeper client (and session) of its own
        URI followerLog = URI.create(log + "?sessionTimeoutMs=5000");
        SharedLogNodes nodes = nodes(log);
        Engine a = nodes.open("a", Role.LEADER);
        try (Engine b = nodes.open(followerLog, "b", Role.FOLLOWER)) {
            a.createTable(Rows.schema("KV"), false);
            insert(a, "KV", 0, 50, "a");
            SortedMap<Integer, Object> acked = expected(0, 50, "a");
            awaitRows(b, "KV", acked);

            try (Clients.Lease lease = Clients.lease(PageLogUri.parse(followerLog))) {
                CuratorFramework zk = lease.zk();
                long before = zk.getZookeeperClient().getZooKeeper().getSessionId();
                zk.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < deadline
                        && !(zk.getZookeeperClient().isConnected()
                                && zk.getZookeeperClient().getZooKeeper().getSessionId() != before)) {
                    Thread.sleep(20);
                }
                assertTrue(
                        zk.getZookeeperClient().getZooKeeper().getSessionId() != before,
                        "the follower has a new ZooKeeper session");
            }
            Thread.sleep(200); // let the reconnection listener set the watch again
            assertEquals(Role.FOLLOWER, b.nodeState().role(), "the follower's own session loss is no leader loss");

            a.close(); // the leader's token goes; the follower's watch must have survived its session
            assertEquals(b, awaitLeader(TAKE_OVER, b));
            assertEquals(acked, rows(b, "KV"));
        } finally {
            a.close();
        }
    }

    @Test
    void aBadFailoverOptionIsRefused() {
        URI log = URI.create("bookkeeper://127.0.0.1:1/strata/never-opened");
        StrataException e = assertThrows(
                StrataException.class,
                () -> StorageProviders.get("strata")
                        .open(EngineConfig.builder()
                                .path(dir.resolve("x"))
                                .pageLog(log)
                                .role(Role.FOLLOWER)
                                .nodeId("x")
                                .options(Map.of("failover", "sometimes"))
                                .build()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("sometimes"), e.getMessage());
    }
}
