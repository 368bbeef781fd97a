package io.stratadb.pagelog.bookkeeper.cluster;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.net.URI;
import org.apache.bookkeeper.conf.ServerConfiguration;
import org.apache.bookkeeper.util.LocalBookKeeper;

/**
 * One ZooKeeper server and N bookies on loopback in this JVM (BookKeeper's {@code LocalBookKeeper}), for
 * development and benchmarks. Data lives in temporary directories removed by {@link #close()}.
 *
 * <p>Invariants: once constructed, every bookie is up and registered; {@link #pageLogUri(String)} names a page
 * log on it.
 *
 * <p>Thread safety: thread-safe. Ownership: the creator closes it.
 */
public final class LocalCluster implements AutoCloseable {
    private final LocalBookKeeper bookies;
    private final int zkPort;

    /**
     * Starts the cluster. {@code journalSync} false skips the bookies' journal fsync (faster, and safe only as
     * long as the write quorum's machines do not all lose power at once).
     */
    public LocalCluster(int zkPort, int bookiePort, int bookieCount, boolean journalSync) {
        // BookKeeper waits for ZooKeeper with the 'stat' four-letter word, which ZooKeeper 3.9 refuses by default
        System.setProperty("zookeeper.4lw.commands.whitelist", "*");
        ServerConfiguration conf = new ServerConfiguration();
        conf.setAllowLoopback(true);
        conf.setBookiePort(bookiePort);
        conf.setJournalSyncData(journalSync);
        LocalBookKeeper lbk = null;
        try {
            lbk = LocalBookKeeper.getLocalBookies("127.0.0.1", zkPort, bookieCount, true, conf);
            lbk.start();
            this.bookies = lbk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException(ErrorCode.IO_ERROR, "interrupted while starting the local cluster", e);
        } catch (Exception e) {
            if (lbk != null) {
                try {
                    lbk.close(); // stops whatever did start (ZooKeeper's threads would keep the JVM alive)
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new StrataException(
                    ErrorCode.IO_ERROR,
                    "cannot start ZooKeeper on port " + zkPort + " and " + bookieCount + " bookies from port "
                            + bookiePort + ": " + e.getMessage(),
                    e);
        }
        this.zkPort = zkPort;
    }

    /** The ZooKeeper connect string. */
    public String zkConnect() {
        return "127.0.0.1:" + zkPort;
    }

    /** The page-log URI of database {@code name} on this cluster. */
    public URI pageLogUri(String name) {
        return URI.create("bookkeeper://" + zkConnect() + "/strata/" + name);
    }

    /** Stops the newest bookie. */
    public void stopBookie() throws Exception {
        bookies.removeBookie();
    }

    /** Starts one more bookie. */
    public void addBookie() throws Exception {
        bookies.addBookie();
    }

    @Override
    public void close() {
        try {
            bookies.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new StrataException(ErrorCode.IO_ERROR, "stopping the local cluster: " + e.getMessage(), e);
        }
    }
}
