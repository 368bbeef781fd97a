package io.stratadb.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.pagelog.bookkeeper.cluster.LocalCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #8's multi-process failover test: three StrataDB server JVMs ({@code strata-server}, Avatica HTTP) share
 * one {@code bookkeeper:} page log on an in-process cluster (ZooKeeper and three bookies on loopback), all with
 * {@code failover=auto} and {@code durability=fsync}. Three client threads commit through the leader; the leader
 * JVM is killed with SIGKILL mid-load; exactly one follower must become LEADER by itself, with every
 * acknowledged commit, the other follower must follow it (every acknowledged commit, and the new leader's
 * writes) and refuse writes with SQLSTATE 25006.
 */
class ThreeServerFailoverTest {
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String url(String node, String role, String pageLog) {
        return "jdbc:strata:path=" + dir.resolve(node) + ";node=" + node + ";role=" + role + ";pagelog=" + pageLog
                + ";durability=fsync;failover=auto;checkpoint_interval_ms=500";
    }

    @Test
    void threeServerJvmsAFollowerTakesOverAfterTheLeadersSigkillWithEveryAcknowledgedCommit() throws Exception {
        long t0 = System.nanoTime();
        List<ServerProcess> servers = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster(freePort(), freePort(), 3, false)) {
            String log = cluster.pageLogUri("three") + "?sessionTimeoutMs=4000";
            ServerProcess leader = ServerProcess.start("n1", url("n1", "leader", log), dir);
            servers.add(leader);
            try (Connection c = leader.connect();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE T (ID INT PRIMARY KEY, V VARCHAR(20))");
            }
            // the two followers start side by side (each JVM start costs seconds on a busy machine)
            CompletableFuture<ServerProcess> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    return ServerProcess.start("n3", url("n3", "follower", log), dir);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("cannot start n3", e);
                }
            });
            ServerProcess f2;
            ServerProcess f3;
            try {
                f2 = ServerProcess.start("n2", url("n2", "follower", log), dir);
                servers.add(f2);
            } finally {
                f3 = starting.get(90, TimeUnit.SECONDS);
                servers.add(f3);
            }
            long started = System.nanoTime();
            assertEquals("LEADER", leader.role());
            assertEquals("FOLLOWER", f2.role());
            assertEquals("FOLLOWER", f3.role());

            // a durable write load through the leader: every key whose auto-commit insert returned is acknowledged
            Set<Integer> acked = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger failures = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int thread = w;
                Thread t = new Thread(
                        () -> {
                            try (Connection c = leader.connect();
                                    PreparedStatement ins = c.prepareStatement("INSERT INTO T VALUES (?, ?)")) {
                                for (int seq = 0; !stop.get(); seq++) {
                                    int key = thread * 10_000_000 + seq;
                                    ins.setInt(1, key);
                                    ins.setString(2, "v" + seq);
                                    ins.executeUpdate();
                                    acked.add(key);
                                }
                            } catch (SQLException | RuntimeException e) {
                                failures.incrementAndGet(); // the leader died under this writer
                            }
                        },
                        "writer-" + w);
                t.start();
                writers.add(t);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acked.size() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(acked.size() >= 100, "the load reached only " + acked.size() + " commits\n" + leader.tail());
            assertEquals("FOLLOWER", f2.role(), "no take-over while the leader lives");

            leader.kill(); // SIGKILL mid-load
            long killed = System.nanoTime();
            for (Thread t : writers) {
                t.join(30_000); // each writer runs until a statement fails: the dead leader answers none
            }
            stop.set(true); // only if one hung
            assertEquals(3, failures.get(), "every writer saw the leader die");
            Set<Integer> acknowledged = Set.copyOf(acked);

            // exactly one follower becomes LEADER by itself (ZooKeeper expires the dead session after 4 s)
            ServerProcess winner = null;
            ServerProcess other = null;
            deadline = killed + TimeUnit.SECONDS.toNanos(40);
            while (winner == null && System.nanoTime() < deadline) {
                String r2 = f2.role();
                String r3 = f3.role();
                if ("LEADER".equals(r2) && "LEADER".equals(r3)) {
                    throw new AssertionError("two leaders\n" + f2.tail() + "\n" + f3.tail());
                }
                if ("LEADER".equals(r2)) {
                    winner = f2;
                    other = f3;
                } else if ("LEADER".equals(r3)) {
                    winner = f3;
                    other = f2;
                } else {
                    Thread.sleep(50);
                }
            }
            if (winner == null || other == null) {
                throw new AssertionError("no follower took over within 40 s\n" + f2.tail() + "\n" + f3.tail());
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.printf(
                    "three servers: up after %d ms, %d commits acknowledged, killed at %d ms; %s took over %d ms after"
                            + " the SIGKILL%n",
                    TimeUnit.NANOSECONDS.toMillis(started - t0),
                    acknowledged.size(),
                    TimeUnit.NANOSECONDS.toMillis(killed - t0),
                    winner.name(),
                    tookMs);
            Thread.sleep(500);
            assertEquals("FOLLOWER", other.role(), "the other follower keeps following\n" + other.tail());

            assertMissingNone(acknowledged, keys(winner), "the new leader " + winner.name());
            long checked = System.nanoTime();
            awaitKeys(other, acknowledged, "the other follower " + other.name());

            // the new leader accepts writes; the other follower refuses them (25006) and reads the new one
            try (Connection c = winner.connect();
                    Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("INSERT INTO T VALUES (-1, 'after')"));
            }
            try (Connection c = other.connect();
                    Statement s = c.createStatement()) {
                SQLException refused =
                        assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO T VALUES (-2, 'no')"));
                assertEquals("25006", refused.getSQLState(), refused.getMessage());
            }
            Set<Integer> withNew = new HashSet<>(acknowledged);
            withNew.add(-1);
            awaitKeys(other, withNew, "the other follower " + other.name() + " after the new leader's write");
            assertEquals(winner.name(), leaderColumn(other), "SYS.NODE.LEADER on the other follower");
            System.out.printf(
                    "three servers: checks after the take-over %d ms, whole run %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checked),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } finally {
            for (ServerProcess s : servers) {
                s.kill(); // nothing to keep: SIGKILL is quicker than a graceful stop
                s.keepLog("three");
            }
        }
    }

    private static Set<Integer> keys(ServerProcess server) throws SQLException {
        Set<Integer> out = new HashSet<>();
        try (Connection c = server.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT ID FROM T")) {
            while (r.next()) {
                out.add(r.getInt(1));
            }
        }
        return out;
    }

    private static String leaderColumn(ServerProcess server) throws SQLException {
        try (Connection c = server.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT LEADER FROM SYS.NODE")) {
            assertTrue(r.next());
            return r.getString(1);
        }
    }

    private static void assertMissingNone(Set<Integer> want, Set<Integer> got, String where) {
        Set<Integer> missing = new HashSet<>(want);
        missing.removeAll(got);
        assertEquals(
                Set.of(), missing, missing.size() + " of " + want.size() + " acknowledged commits missing on " + where);
    }

    private static void awaitKeys(ServerProcess server, Set<Integer> want, String where)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Set<Integer> got = keys(server);
        while (!got.containsAll(want) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            got = keys(server);
        }
        assertMissingNone(want, got, where);
    }
}
