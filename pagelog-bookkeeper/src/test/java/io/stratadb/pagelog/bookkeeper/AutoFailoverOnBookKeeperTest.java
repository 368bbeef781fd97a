package io.stratadb.pagelog.bookkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
    private static final TableSchema KV = new TableSchema(
            "KV",
            List.of(new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));

    @TempDir
    Path dir;

    private Engine open(URI log, String node, Role role) {
        return StorageProviders.get("strata")
                .open(EngineConfig.builder()
                        .path(dir.resolve(node))
                        .pageLog(log)
                        .role(role)
                        .nodeId(node)
                        .durability(Durability.FSYNC)
                        .autoPickup(true)
                        .options(Map.of("checkpoint_interval_ms", "0", "publish_interval_ms", "2", "failover", "auto"))
                        .build());
    }

    private static void insert(Engine e, int from, int to, String v) {
        TableHandle t = e.table("KV").orElseThrow();
        try (Session s = e.openSession()) {
            Transaction tx = s.begin();
            for (int i = from; i < to; i++) {
                tx.insert(t, new Object[] {i, v + i});
            }
            tx.commit();
        }
    }

    private static SortedMap<Integer, Object> rows(Engine e) {
        TreeMap<Integer, Object> out = new TreeMap<>();
        if (e.table("KV").isEmpty()) {
            return out;
        }
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            try (Cursor c = x.cursor(e.table("KV").orElseThrow(), KeyRange.all())) {
                while (c.next()) {
                    out.put((Integer) c.row()[0], c.row()[1]);
                }
            }
            x.commit();
        }
        return out;
    }

    private static SortedMap<Integer, Object> expected(int from, int to, String v) {
        TreeMap<Integer, Object> m = new TreeMap<>();
        for (int i = from; i < to; i++) {
            m.put(i, v + i);
        }
        return m;
    }

    private static void awaitRows(Engine e, SortedMap<Integer, Object> want) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        SortedMap<Integer, Object> got = rows(e);
        while (!got.equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            got = rows(e);
        }
        assertEquals(want, got, "the follower caught up through the shared log");
    }

    /** Waits until one of {@code nodes} leads and returns it; fails after 20 s. */
    private static Engine awaitLeader(Engine... nodes) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Engine e : nodes) {
                if (e.nodeState().role() == Role.LEADER) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no follower stepped up by itself within 20 s");
    }

    @Test
    void whenTheLeadersTokenVanishesExactlyOneFollowerTakesOverAndTheOldLeaderIsFenced() throws Exception {
        URI log = BookKeeperCluster.get().freshUri("autofail");
        try (Engine a = open(log, "a", Role.LEADER);
                Engine b = open(log, "b", Role.FOLLOWER);
                Engine c = open(log, "c", Role.FOLLOWER);
                CuratorFramework zk = CuratorFrameworkFactory.newClient(
                        BookKeeperCluster.get().zkConnect(), new RetryOneTime(100))) {
            zk.start();
            a.createTable(KV, false);
            insert(a, 0, 100, "a");
            a.checkpoint();
            insert(a, 100, 150, "a"); // after the checkpoint: only in the log
            SortedMap<Integer, Object> acked = expected(0, 150, "a");
            awaitRows(b, acked);
            awaitRows(c, acked);
            String token = log.getPath() + "/leader";
            assertEquals("a", new String(zk.getData().forPath(token), StandardCharsets.UTF_8), "the leader's token");

            // what ZooKeeper does when the leader's session expires: its ephemeral token is deleted; 'a' runs on
            zk.delete().forPath(token);
            Engine winner = awaitLeader(b, c);
            Engine loser = winner == b ? c : b;
            Thread.sleep(500); // a second step-up, if there were one, would have started by now
            assertEquals(Role.FOLLOWER, loser.nodeState().role(), "exactly one follower steps up");
            assertEquals(Role.LEADER, winner.nodeState().role());
            String winnerId = winner == b ? "b" : "c";
            assertEquals(winnerId, new String(zk.getData().forPath(token), StandardCharsets.UTF_8));
            assertEquals(acked, rows(winner), "every committed row is on the new leader");

            StrataException e = assertThrows(StrataException.class, () -> insert(a, 150, 151, "lost"));
            assertEquals(ErrorCode.FENCED, e.code(), e.getMessage());

            insert(winner, 200, 210, winnerId);
            SortedMap<Integer, Object> want = new TreeMap<>(acked);
            want.putAll(expected(200, 210, winnerId));
            awaitRows(loser, want); // the other follower follows the new leader

            // the new leader closes: its token goes with it, and the last follower takes over
            winner.close();
            assertEquals(loser, awaitLeader(loser));
            assertEquals(want, rows(loser));
            insert(loser, 300, 301, "last");
        }
    }

    @Test
    void aFollowerWhoseOwnSessionExpiredStillTakesOver() throws Exception {
        URI log = BookKeeperCluster.get().freshUri("autofail-expiry");
        // a different session timeout gives the follower a ZooKeeper client (and session) of its own
        URI followerLog = URI.create(log + "?sessionTimeoutMs=5000");
        Engine a = open(log, "a", Role.LEADER);
        try (Engine b = open(followerLog, "b", Role.FOLLOWER)) {
            a.createTable(KV, false);
            insert(a, 0, 50, "a");
            SortedMap<Integer, Object> acked = expected(0, 50, "a");
            awaitRows(b, acked);

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
            assertEquals(b, awaitLeader(b));
            assertEquals(acked, rows(b));
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
