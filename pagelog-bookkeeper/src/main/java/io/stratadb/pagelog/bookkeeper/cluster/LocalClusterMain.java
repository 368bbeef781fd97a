package io.stratadb.pagelog.bookkeeper.cluster;

import java.util.concurrent.CountDownLatch;

/**
 * The command {@code bin/strata-bk-cluster [--zk-port 2181] [--bookie-port 3181] [--bookies 3]}: starts one
 * ZooKeeper server and the bookies on loopback, prints the page-log URI to use, and runs until interrupted. The
 * bookies keep their journals and ledgers in temporary directories that are removed on exit: a development
 * cluster, not a deployment.
 *
 * <p>Invariants: the process prints {@code ready: pagelog=bookkeeper://...} only once every bookie is up.
 *
 * <p>Thread safety: a main; single-threaded apart from the shutdown hook.
 */
@SuppressForbidden
public final class LocalClusterMain {
    private LocalClusterMain() {}

    public static void main(String[] args) throws Exception {
        int zkPort = 2181;
        int bookiePort = 3181;
        int bookies = 3;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                usage("missing value after " + a);
                return;
            }
            String v = args[++i];
            switch (a) {
                case "--zk-port" -> zkPort = Integer.parseInt(v);
                case "--bookie-port" -> bookiePort = Integer.parseInt(v);
                case "--bookies" -> bookies = Integer.parseInt(v);
                default -> {
                    usage("unknown option " + a);
                    return;
                }
            }
        }
        LocalCluster cluster = new LocalCluster(zkPort, bookiePort, bookies, true);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                System.err.println("strata-bk-cluster: stopping: " + e);
            }
            stop.countDown();
        }));
        System.out.println(
                "ready: ZooKeeper on 127.0.0.1:" + zkPort + ", " + bookies + " bookies from port " + bookiePort);
        System.out.println("ready: pagelog=bookkeeper://" + cluster.zkConnect() + "/strata/<database>");
        System.out.flush();
        stop.await();
    }

    private static void usage(String why) {
        System.err.println("strata-bk-cluster: " + why);
        System.err.println("usage: strata-bk-cluster [--zk-port 2181] [--bookie-port 3181] [--bookies 3]");
        System.exit(2);
    }
}
