package io.stratadb.bench;

import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.pagelog.bookkeeper.cluster.LocalCluster;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a reader's call costs on the {@code bookkeeper:} page log: every read call of a node that does not write
 * first brings its view up to date (ZooKeeper reads, the open ledger's last-add-confirmed). It measures (1) the
 * time of {@code lastLsn()} on an idle log, that is the refresh alone, and (2) the time from a writer's {@code
 * sync} to a reader's {@code readLog} returning the record. Without {@code --zk host:port} it starts an in-process
 * cluster in this JVM.
 *
 * <p>Usage: {@code java --add-opens java.base/java.io=ALL-UNNAMED -cp ... io.stratadb.bench.PageLogReadBench
 * [--zk host:port]}.
 *
 * <p>Invariants: it fails (rather than report a time) if a record the writer synced is not visible to the
 * reader's very next {@code readLog}.
 *
 * <p>Thread safety: a main.
 */
public final class PageLogReadBench {
    private PageLogReadBench() {}

    public static void main(String[] args) throws Exception {
        String zk = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--zk")) {
                zk = args[i + 1];
            }
        }
        LocalCluster cluster = zk == null ? new LocalCluster(freePort(), freePort(), 3, true) : null;
        String connect = cluster != null ? cluster.zkConnect() : zk;
        URI uri = URI.create("bookkeeper://" + connect + "/strata/readbench-" + System.nanoTime());
        try (PageLog writer = PageLogProviders.open(uri, new PageLogOptions("w", true));
                PageLog reader = PageLogProviders.open(uri, new PageLogOptions("r", true))) {
            writer.claimEpoch();
            long lsn = 0;
            for (int i = 0; i < 100; i++) {
                lsn = writer.append(1, new byte[100]);
            }
            writer.sync(lsn);
            writer.completeCheckpoint(1, 1, new byte[16]);
            int n = 2000;
            long[] idle = new long[n];
            for (int i = -200; i < n; i++) {
                long t0 = System.nanoTime();
                reader.lastLsn();
                if (i >= 0) {
                    idle[i] = System.nanoTime() - t0;
                }
            }
            long after = reader.lastLsn();
            int m = 300;
            long[] visible = new long[m];
            for (int i = -20; i < m; i++) {
                long l = writer.append(1, new byte[100]);
                writer.sync(l);
                long t0 = System.nanoTime();
                List<?> got = reader.readLog(after, 10);
                if (got.isEmpty()) {
                    throw new IllegalStateException("a synced record is not visible to the reader: LSN " + l);
                }
                if (i >= 0) {
                    visible[i] = System.nanoTime() - t0;
                }
                after = l;
            }
            print("reader lastLsn() on an idle log (the refresh alone)", idle);
            print("reader readLog() of a record just synced", visible);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private static void print(String what, long[] nanos) {
        Arrays.sort(nanos);
        System.out.printf(
                Locale.ROOT,
                "%s: p50 %.0f us, p99 %.0f us (%d calls)%n",
                what,
                nanos[nanos.length / 2] / 1e3,
                nanos[(int) (nanos.length * 0.99)] / 1e3,
                nanos.length);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
