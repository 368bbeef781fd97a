package io.stratadb.samples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SQL half of {@code bin/strata-bk-demo}: a client of two {@code strata-server}s (leader and follower, both
 * with {@code failover=auto}) on one {@code bookkeeper:} page log. The script starts the cluster and the
 * servers and kills the leader between the two phases:
 *
 * <pre>
 *   DistributedDemo before &lt;leader port&gt; &lt;follower port&gt;   writes on the leader, reads on the follower
 *   DistributedDemo after &lt;follower port&gt;                   waits for the follower to take over, writes on it
 * </pre>
 *
 * <p>Invariants: (1) it exits with status 0 only if every step it prints happened; otherwise with status 1 and
 * the reason (status 2 for bad arguments); (2) it only talks SQL to the servers: starting and killing processes
 * is the script's job.
 *
 * <p>Thread safety: a main; single-threaded.
 */
public final class DistributedDemo {
    private DistributedDemo() {}

    public static void main(String[] args) throws Exception {
        try {
            if (args.length == 3 && args[0].equals("before")) {
                before(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            } else if (args.length == 2 && args[0].equals("after")) {
                after(Integer.parseInt(args[1]));
            } else {
                System.err.println(
                        "usage: DistributedDemo before <leader port> <follower port>" + " | after <follower port>");
                System.exit(2);
            }
        } catch (SQLException | IllegalStateException e) {
            System.err.println("demo: FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:avatica:remote:url=http://127.0.0.1:" + port + ";serialization=protobuf");
    }

    private static void before(int leaderPort, int followerPort) throws SQLException, InterruptedException {
        try (Connection leader = connect(leaderPort);
                Connection follower = connect(followerPort)) {
            System.out.println("demo: leader   " + node(leader));
            System.out.println("demo: follower " + node(follower));
            try (Statement s = leader.createStatement()) {
                s.execute("CREATE TABLE ACCOUNTS (ID INT PRIMARY KEY, OWNER VARCHAR(20), BALANCE INT)");
                s.executeUpdate("INSERT INTO ACCOUNTS VALUES (1, 'ada', 100), (2, 'grace', 250), (3, 'edsger', 75)");
            }
            System.out.println("demo: wrote 3 rows on the leader (durable: acknowledged by 2 of 3 bookies)");
            List<String> rows = awaitRows(follower, 3, 20);
            System.out.println("demo: the follower reads them through the shared log: " + rows);
            try (Statement s = follower.createStatement()) {
                s.executeUpdate("INSERT INTO ACCOUNTS VALUES (4, 'barbara', 10)");
                throw new IllegalStateException("the follower accepted a write");
            } catch (SQLException refused) {
                System.out.println("demo: a write on the follower is refused: SQLSTATE " + refused.getSQLState());
            }
        }
    }

    private static void after(int followerPort) throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        String role = "";
        while (System.nanoTime() < deadline) {
            try (Connection c = connect(followerPort)) {
                role = role(c);
                if (role.equals("LEADER")) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        if (!role.equals("LEADER")) {
            throw new IllegalStateException("the follower did not take over within 60 s (role " + role + ")");
        }
        try (Connection c = connect(followerPort);
                Statement s = c.createStatement()) {
            System.out.printf(
                    "demo: the follower took over by itself %.1f s after we started waiting: %s%n",
                    (System.nanoTime() - t0) / 1e9, node(c));
            List<String> rows = rows(c);
            if (rows.size() != 3) {
                throw new IllegalStateException("the new leader has " + rows + ", not the 3 acknowledged rows");
            }
            System.out.println("demo: every acknowledged row is there: " + rows);
            s.executeUpdate("INSERT INTO ACCOUNTS VALUES (4, 'barbara', 10)");
            System.out.println("demo: the new leader accepts writes: " + rows(c));
        }
    }

    private static String node(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT NODE_ID, ROLE, EPOCH FROM SYS.NODE")) {
            if (!r.next()) {
                throw new IllegalStateException("SYS.NODE is empty");
            }
            return r.getString(1) + " " + r.getString(2) + " (epoch " + r.getLong(3) + ")";
        }
    }

    private static String role(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT ROLE FROM SYS.NODE")) {
            return r.next() ? r.getString(1) : "";
        }
    }

    private static List<String> rows(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT ID, OWNER, BALANCE FROM ACCOUNTS ORDER BY ID")) {
            while (r.next()) {
                out.add(r.getInt(1) + ":" + r.getString(2) + ":" + r.getInt(3));
            }
        }
        return out;
    }

    private static List<String> awaitRows(Connection c, int n, int seconds) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> rows = List.of();
        while (System.nanoTime() < deadline) {
            try {
                rows = rows(c);
            } catch (SQLException tableNotThereYet) {
                rows = List.of();
            }
            if (rows.size() >= n) {
                return rows;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the follower shows " + rows + " after " + seconds + " s, not " + n + " rows");
    }
}
