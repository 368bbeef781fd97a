package io.stratadb.bench;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import io.stratadb.pagelog.bookkeeper.cluster.LocalCluster;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The replication benchmark of issues #5 and #8: (1) lag from a leader's commit acknowledgement to the row's
 * visibility on a follower (p50, p99), for durable and non-durable commits; (2) step-up time as a function of the
 * number of rows the new leader drains from ingest. It runs on the {@code file:} page log, on the {@code
 * bookkeeper:} page log, or both ({@code --pagelog file|bookkeeper|both}, default {@code file}); for {@code
 * bookkeeper:} it starts an in-process cluster (ZooKeeper and three bookies, journal fsync on) unless {@code --zk
 * host:port} names one.
 *
 * <p>Leader and follower are separate engines in this JVM with their own directories, sharing one page log (as
 * two processes would; on {@code bookkeeper:} they also share one ZooKeeper session and BookKeeper client). Usage:
 * {@code mvn -q -pl bench exec:exec -Dexec.mainClass=io.stratadb.bench.ReplicationBench
 * -Dbench.jvm=--add-opens=java.base/java.io=ALL-UNNAMED [-Dbench.args="--quick --pagelog both"]} (in-process
 * bookies need that {@code --add-opens}).
 *
 * <p>Thread safety: a main.
 */
public final class ReplicationBench {
    private static final TableSchema KV = new TableSchema(
            "KV",
            List.of(new ColumnDef("K", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));

    private ReplicationBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        String which = "file";
        String zk = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--pagelog")) {
                which = args[i + 1];
            } else if (args[i].equals("--zk")) {
                zk = args[i + 1];
            }
        }
        List<String> logs = switch (which) {
            case "file" -> List.of("file");
            case "bookkeeper" -> List.of("bookkeeper");
            case "both" -> List.of("file", "bookkeeper");
            default -> throw new IllegalArgumentException("--pagelog must be file, bookkeeper or both, not " + which);
        };
        Path work = Files.createTempDirectory("strata-repl-bench");
        LocalCluster cluster =
                zk == null && logs.contains("bookkeeper") ? new LocalCluster(freePort(), freePort(), 3, true) : null;
        String connect = cluster != null ? cluster.zkConnect() : zk;
        try {
            int samples = quick ? 300 : 2000;
            for (String kind : logs) {
                for (Durability d : List.of(Durability.FSYNC, Durability.NONE)) {
                    Path root = work.resolve(kind + "-lag-" + d);
                    double[] p = lag(root, d, samples, pageLog(kind, root, connect));
                    System.out.printf(
                            Locale.ROOT,
                            "%s: replication lag, durability %s, %d commits: p50 %.2f ms, p99 %.2f ms%n",
                            kind,
                            d,
                            samples,
                            p[0],
                            p[1]);
                }
                int[] sizes = quick ? new int[] {10_000, 50_000} : new int[] {10_000, 50_000, 100_000, 200_000};
                for (int rows : sizes) {
                    Path root = work.resolve(kind + "-stepup-" + rows);
                    double ms = stepUp(root, rows, pageLog(kind, root, connect));
                    System.out.printf(Locale.ROOT, "%s: step-up draining %d rows: %.0f ms%n", kind, rows, ms);
                }
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            EngineBench.deleteRecursively(work);
        }
    }

    private static URI pageLog(String kind, Path root, @Nullable String zk) {
        return kind.equals("file")
                ? URI.create("file:" + root.resolve("pagelog"))
                : URI.create("bookkeeper://" + zk + "/strata/repl-" + System.nanoTime());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static EngineConfig config(Path root, String node, Role role, Durability d, URI pageLog) {
        return EngineConfig.builder()
                .path(root.resolve(node))
                .pageLog(pageLog)
                .role(role)
                .nodeId(node)
                .durability(d)
                .options(Map.of("checkpoint_interval_ms", "0"))
                .build();
    }

    static Engine open(EngineConfig c) {
        return StorageProviders.get("strata").open(c);
    }

    /** Milliseconds from each commit's acknowledgement until a follower reads the row: {p50, p99}. */
    static double[] lag(Path root, Durability d, int samples, URI log) {
        long[] nanos = new long[samples];
        try (Engine leader = open(config(root, "leader", Role.LEADER, d, log))) {
            TableHandle lt = leader.createTable(KV, false);
            try (Engine follower = open(config(root, "follower", Role.FOLLOWER, d, log));
                    Session ls = leader.openSession();
                    Session fs = follower.openSession()) {
                TableHandle ft = waitForTable(follower);
                for (int i = -50; i < samples; i++) { // 50 warm-up commits
                    Transaction t = ls.begin();
                    t.insert(lt, new Object[] {i, "v"});
                    t.commit();
                    long acked = System.nanoTime();
                    while (true) {
                        Transaction r = fs.begin();
                        boolean seen = r.get(ft, new Object[] {i}) != null;
                        r.commit();
                        if (seen) {
                            break;
                        }
                        LockSupport.parkNanos(10_000); // leave the cores to the applier (and the bookies)
                    }
                    if (i >= 0) {
                        nanos[i] = System.nanoTime() - acked;
                    }
                }
            }
        }
        Arrays.sort(nanos);
        return new double[] {nanos[samples / 2] / 1e6, nanos[(int) (samples * 0.99)] / 1e6};
    }

    private static TableHandle waitForTable(Engine follower) {
        while (true) {
            var t = follower.table("KV");
            if (t.isPresent()) {
                return t.get();
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Milliseconds a follower's step-up takes when {@code rows} rows were committed after the last checkpoint
     * (so all of them are drained from ingest), the old leader having gone away without a checkpoint.
     */
    static double stepUp(Path root, int rows, URI log) {
        Engine leader = open(config(root, "leader", Role.LEADER, Durability.NONE, log));
        Engine follower;
        try {
            TableHandle t = leader.createTable(KV, false);
            leader.checkpoint();
            follower = open(config(root, "follower", Role.FOLLOWER, Durability.NONE, log));
            try (Session s = leader.openSession()) {
                for (int from = 0; from < rows; from += 1000) {
                    Transaction x = s.begin();
                    for (int k = from; k < Math.min(rows, from + 1000); k++) {
                        x.insert(t, new Object[] {k, "value-" + k});
                    }
                    x.commit();
                }
            }
        } finally {
            leader.close(); // flushes the log; no checkpoint: the follower drains every row
        }
        try (Engine f = follower) {
            while (f.nodeState().lagLsns() > 0 || count(f) < rows) {
                Thread.onSpinWait();
            }
            long t0 = System.nanoTime();
            f.stepUp();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (count(f) != rows) {
                throw new IllegalStateException("step-up lost rows: " + count(f) + " of " + rows);
            }
            return ms;
        }
    }

    private static long count(Engine e) {
        var t = e.table("KV");
        if (t.isEmpty()) {
            return 0;
        }
        long n = 0;
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            try (var c = x.cursor(t.get(), io.stratadb.api.KeyRange.all())) {
                while (c.next()) {
                    n++;
                }
            }
            x.commit();
        }
        return n;
    }
}
