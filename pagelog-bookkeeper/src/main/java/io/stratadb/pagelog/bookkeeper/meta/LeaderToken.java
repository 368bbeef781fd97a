package io.stratadb.pagelog.bookkeeper.meta;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * The leadership token of one page log: the ephemeral znode {@code <base>/leader} holding the leader's node id,
 * owned by the leader's ZooKeeper session, so it vanishes when that session is closed or expires.
 *
 * <p>Invariants: (1) {@link #tryTake} creates the znode only if it is absent, so of concurrent takers exactly one
 * wins; (2) {@link #hold} replaces another holder's znode in one ZooKeeper multi (delete, create), so the token is
 * never absent in between; (3) {@link #release} deletes the znode only if it still names this node at the version
 * read, never another node's token. The token grants no write right: the epoch does (fencing).
 *
 * <p>Thread safety: thread-safe (Curator is). Ownership: does not own the Curator client.
 */
public final class LeaderToken {
    private final CuratorFramework zk;
    private final String path;
    private final String nodeId;

    public LeaderToken(CuratorFramework zk, String base, String nodeId) {
        this.zk = zk;
        this.path = base + "/leader";
        this.nodeId = nodeId;
    }

    private byte[] mine() {
        return nodeId.getBytes(StandardCharsets.UTF_8);
    }

    /** Creates the token for this node if nobody holds it; true if this node now holds it. */
    public boolean tryTake() {
        try {
            zk.create().withMode(CreateMode.EPHEMERAL).forPath(path, mine());
            return true;
        } catch (KeeperException.NodeExistsException e) {
            return false;
        } catch (Exception e) {
            throw io("create the leader token " + path, e);
        }
    }

    /** Makes this node the holder, replacing another holder's token atomically. */
    public void hold() {
        for (int attempt = 0; ; attempt++) {
            if (attempt > 20) {
                throw new StrataException(
                        ErrorCode.IO_ERROR, "ZooKeeper: cannot hold the leader token " + path + " (it keeps changing)");
            }
            try {
                Stat stat = new Stat();
                byte[] data;
                try {
                    data = zk.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException absent) {
                    if (tryTake()) {
                        return;
                    }
                    continue;
                }
                if (new String(data, StandardCharsets.UTF_8).equals(nodeId)
                        && stat.getEphemeralOwner()
                                == zk.getZookeeperClient().getZooKeeper().getSessionId()) {
                    return;
                }
                zk.transaction()
                        .forOperations(
                                zk.transactionOp()
                                        .delete()
                                        .withVersion(stat.getVersion())
                                        .forPath(path),
                                zk.transactionOp()
                                        .create()
                                        .withMode(CreateMode.EPHEMERAL)
                                        .forPath(path, mine()));
                return;
            } catch (KeeperException.NoNodeException
                    | KeeperException.BadVersionException
                    | KeeperException.NodeExistsException raced) {
                // another holder changed it meanwhile: read again
            } catch (StrataException e) {
                throw e;
            } catch (Exception e) {
                throw io("hold the leader token " + path, e);
            }
        }
    }

    /** Deletes the token if it names this node. */
    public void release() {
        try {
            Stat stat = new Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(path);
            if (new String(data, StandardCharsets.UTF_8).equals(nodeId)) {
                zk.delete().withVersion(stat.getVersion()).forPath(path);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
            // not ours any more
        } catch (Exception e) {
            throw io("release the leader token " + path, e);
        }
    }

    /**
     * Watches the token: {@code onLost} gets the former holder's node id each time the znode is deleted, until
     * {@code stop} says stop. Calls come from Curator's event threads. A watch dies with the ZooKeeper session,
     * so after a reconnection it is set again, and a token that vanished meanwhile is reported then. Returns
     * what removes the connection listener (call it at close).
     */
    public Runnable watch(Consumer<String> onLost, BooleanSupplier stop) {
        AtomicReference<String> holder = new AtomicReference<>("");
        CuratorWatcher w = new CuratorWatcher() {
            @Override
            public void process(WatchedEvent event) {
                if (stop.getAsBoolean() || event.getType() == Watcher.Event.EventType.None) {
                    return; // a connection event: the reconnection listener handles a lost session
                }
                if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                    onLost.accept(holder.get());
                }
                rearm(this, holder, stop);
            }
        };
        rearm(w, holder, stop);
        ConnectionStateListener reconnect = (client, state) -> {
            if (state == ConnectionState.RECONNECTED && !stop.getAsBoolean()) {
                String before = holder.get();
                boolean present = rearm(w, holder, stop);
                if (!present && before != null && !before.isEmpty()) {
                    holder.set("");
                    onLost.accept(before); // it vanished while this node was cut off
                }
            }
        };
        zk.getConnectionStateListenable().addListener(reconnect);
        return () -> zk.getConnectionStateListenable().removeListener(reconnect);
    }

    /** Sets the watch again; true if the token exists now (or its state is unknown because ZooKeeper is away). */
    private boolean rearm(CuratorWatcher w, AtomicReference<String> holder, BooleanSupplier stop) {
        if (stop.getAsBoolean()) {
            return true;
        }
        try {
            Stat stat = zk.checkExists().usingWatcher(w).forPath(path);
            if (stat != null) {
                try {
                    holder.set(new String(zk.getData().forPath(path), StandardCharsets.UTF_8));
                } catch (KeeperException.NoNodeException gone) {
                    // deleted meanwhile: the watch set above reports it
                }
            }
            return stat != null;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // the connection is down; the reconnection listener sets the watch again
            return true;
        }
    }

    private static StrataException io(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new StrataException(ErrorCode.IO_ERROR, "ZooKeeper: cannot " + what + ": " + e, e);
    }
}
