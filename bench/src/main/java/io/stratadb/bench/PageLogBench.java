package io.stratadb.bench;

import io.stratadb.api.Durability;
import io.stratadb.pagelog.bookkeeper.cluster.LocalCluster;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Durable single-row commits of the engine on the {@code file:} page log and on the {@code bookkeeper:} page log,
 * same workload, same run. Without {@code --zk host:port} it starts an in-process cluster (ZooKeeper and three
 * bookies, journal fsync on) in this JVM, so client and bookies share the machine's cores.
 *
 * <p>Usage: {@code mvn -q -pl bench exec:exec -Dexec.mainClass=io.stratadb.bench.PageLogBench
 * -Dbench.jvm=--add-opens=java.base/java.io=ALL-UNNAMED [-Dbench.args="--quick --no-journal-sync --zk host:port"]}
 * (in-process bookies need that {@code --add-opens}).
 *
 * <p>Thread safety: a main.
 */
public final class PageLogBench {
    private PageLogBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        boolean journalSync = !List.of(args).contains("--no-journal-sync");
        String zk = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--zk")) {
                zk = args[i + 1];
            }
        }
        long warm = quick ? 500 : 1500;
        long measure = quick ? 2000 : 5000;
        Path work = Files.createTempDirectory("strata-pagelog-bench");
        LocalCluster cluster = zk == null ? new LocalCluster(freePort(), freePort(), 3, journalSync) : null;
        String connect = cluster != null ? cluster.zkConnect() : zk;
        List<Result> results = new ArrayList<>();
        try {
            Workload small = new Workload(10_000, warm, measure);
            List<KvStore> stores = List.of(
                    new StrataKvStore(work.resolve("file"), Durability.FSYNC),
                    new StrataKvStore(
                            work.resolve("bk"),
                            Durability.FSYNC,
                            URI.create("bookkeeper://" + connect + "/strata/bench-" + System.nanoTime())));
            for (KvStore store : stores) {
                try (store) {
                    store.load(10_000, Workload.VALUE);
                    for (int t : new int[] {1, 8}) {
                        results.add(small.run(store, Workload.Kind.DURABLE_UPSERT, t)
                                .print());
                    }
                }
            }
            System.out.println();
            System.out.println("| page log | threads | commits/s | p50 us | p99 us |");
            System.out.println("|---|---|---|---|---|");
            for (Result r : results) {
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %.0f | %.1f | %.1f |%n",
                        r.engine(),
                        r.threads(),
                        r.opsPerSec(),
                        r.p50Micros(),
                        r.p99Micros());
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            EngineBench.deleteRecursively(work);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
