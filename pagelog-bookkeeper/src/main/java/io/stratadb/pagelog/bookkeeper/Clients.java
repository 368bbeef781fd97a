package io.stratadb.pagelog.bookkeeper;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.bookkeeper.client.BookKeeper;
import org.apache.bookkeeper.conf.ClientConfiguration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * The ZooKeeper (Curator) and BookKeeper clients of one cluster, shared by every page log a JVM opens on it and
 * closed with the last of them.
 *
 * <p>Invariants: (1) one {@link Lease} per open page log; (2) the clients of a key are closed exactly when its
 * lease count drops to 0. Sharing is safe for fencing: BookKeeper fences ledger handles, and the ZooKeeper guard
 * is the epoch znode's version, neither of which is per client.
 *
 * <p>Thread safety: thread-safe.
 */
final class Clients {
    private static final Object LOCK = new Object();

    @GuardedBy("LOCK")
    private static final Map<String, Shared> SHARED = new HashMap<>();

    private Clients() {}

    /** Leases the clients for {@code conf}'s cluster, creating them if needed. */
    static Lease lease(PageLogUri conf) {
        String key = conf.zkConnect() + "|" + conf.ledgersRoot() + "|" + conf.sessionTimeoutMs();
        synchronized (LOCK) {
            Shared s = SHARED.get(key);
            if (s == null) {
                s = open(conf);
                SHARED.put(key, s);
            }
            s.refs++;
            return new Lease(key, s);
        }
    }

    private static Shared open(PageLogUri conf) {
        CuratorFramework zk = CuratorFrameworkFactory.builder()
                .connectString(conf.zkConnect())
                .sessionTimeoutMs(conf.sessionTimeoutMs())
                .connectionTimeoutMs(10_000)
                .retryPolicy(new ExponentialBackoffRetry(100, 5))
                .build();
        zk.start();
        try {
            if (!zk.blockUntilConnected(15, TimeUnit.SECONDS)) {
                zk.close();
                throw new StrataException(
                        ErrorCode.IO_ERROR, "cannot connect to ZooKeeper at " + conf.zkConnect() + " within 15 s");
            }
            ClientConfiguration cc = new ClientConfiguration();
            cc.setMetadataServiceUri(conf.metadataServiceUri());
            cc.setZkTimeout(conf.sessionTimeoutMs());
            cc.setAddEntryTimeout(30);
            cc.setReadEntryTimeout(30);
            // with a bookie down, keep writing to the rest of the ensemble as long as the ack quorum answers
            cc.setDelayEnsembleChange(true);
            return new Shared(zk, new BookKeeper(cc));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            zk.close();
            throw new StrataException(ErrorCode.IO_ERROR, "interrupted while connecting to " + conf.zkConnect(), e);
        } catch (StrataException e) {
            throw e;
        } catch (Exception e) {
            zk.close();
            throw new StrataException(
                    ErrorCode.IO_ERROR,
                    "cannot open a BookKeeper client on " + conf.metadataServiceUri() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The clients of one cluster and how many page logs use them. */
    private static final class Shared {
        final CuratorFramework zk;
        final BookKeeper bk;

        @GuardedBy("LOCK")
        int refs;

        Shared(CuratorFramework zk, BookKeeper bk) {
            this.zk = zk;
            this.bk = bk;
        }
    }

    /**
     * One page log's use of the shared clients.
     *
     * <p>Thread safety: thread-safe; {@link #close()} is idempotent.
     */
    static final class Lease implements AutoCloseable {
        private final String key;
        private final Shared shared;

        @GuardedBy("LOCK")
        private boolean released;

        Lease(String key, Shared shared) {
            this.key = key;
            this.shared = shared;
        }

        CuratorFramework zk() {
            return shared.zk;
        }

        BookKeeper bk() {
            return shared.bk;
        }

        @Override
        public void close() {
            Shared last = null;
            synchronized (LOCK) {
                if (released) {
                    return;
                }
                released = true;
                if (--shared.refs == 0) {
                    SHARED.remove(key);
                    last = shared;
                }
            }
            if (last != null) {
                Shared done = last;
                // BookKeeper's close waits out Netty's quiet period (about 2 s); nothing depends on it finishing
                Thread t = new Thread(
                        () -> {
                            try {
                                done.bk.close();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (Exception e) {
                                // closing anyway
                            }
                            done.zk.close();
                        },
                        "strata-bk-client-close");
                t.setDaemon(true);
                t.start();
            }
        }
    }
}
