package io.stratadb.pagelog.bookkeeper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.bookkeeper.conf.ServerConfiguration;
import org.apache.bookkeeper.util.LocalBookKeeper;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-process cluster for tests: one ZooKeeper server and three bookies on loopback, started once per test JVM
 * (the first test class that uses the extension starts it; the JUnit root store stops it at the end).
 *
 * <p>Invariants: {@link #get()} returns the running cluster; every {@link #freshUri(String)} names a base path no
 * other test used.
 *
 * <p>Thread safety: thread-safe.
 */
public final class BookKeeperCluster implements AutoCloseable {
    private static final AtomicInteger PATHS = new AtomicInteger();
    private static final Object LOCK = new Object();
    private static volatile @Nullable BookKeeperCluster running;

    private final LocalBookKeeper bookies;
    private final int zkPort;

    private BookKeeperCluster(LocalBookKeeper bookies, int zkPort) {
        this.bookies = bookies;
        this.zkPort = zkPort;
    }

    /** The JUnit extension that starts the cluster before the first test class that names it. */
    public static final class Extension implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            synchronized (LOCK) {
                if (running == null) {
                    BookKeeperCluster c = start();
                    running = c;
                    context.getRoot()
                            .getStore(ExtensionContext.Namespace.GLOBAL)
                            .put("bookkeeper-cluster", c);
                }
            }
        }
    }

    /** The running cluster. */
    public static BookKeeperCluster get() {
        BookKeeperCluster c = running;
        if (c == null) {
            throw new IllegalStateException("the cluster extension has not run");
        }
        return c;
    }

    private static BookKeeperCluster start() throws Exception {
        // BookKeeper polls ZooKeeper with 'stat'; ZooKeeper 3.9 answers only 'srvr' unless told otherwise
        System.setProperty("zookeeper.4lw.commands.whitelist", "*");
        int zk = freePort();
        ServerConfiguration conf = new ServerConfiguration();
        conf.setAllowLoopback(true);
        conf.setJournalSyncData(false);
        conf.setJournalFlushWhenQueueEmpty(true);
        conf.setJournalAdaptiveGroupWrites(false);
        conf.setBookiePort(freePort());
        LocalBookKeeper lbk = LocalBookKeeper.getLocalBookies("127.0.0.1", zk, 3, true, conf);
        lbk.start();
        return new BookKeeperCluster(lbk, zk);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The ZooKeeper connect string. */
    public String zkConnect() {
        return "127.0.0.1:" + zkPort;
    }

    /** A URI naming a new, empty page log. */
    public URI freshUri(String name) {
        return URI.create("bookkeeper://" + zkConnect() + "/strata/" + name + "-" + PATHS.incrementAndGet());
    }

    /** Stops the newest bookie (as a crash would: no goodbye to clients). */
    public void killBookie() throws Exception {
        bookies.removeBookie();
    }

    /** Starts one more bookie. */
    public void addBookie() throws Exception {
        bookies.addBookie();
    }

    @Override
    public void close() {
        synchronized (LOCK) {
            running = null;
        }
        try {
            bookies.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the test cluster", e);
        }
    }
}
