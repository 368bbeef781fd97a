package io.stratadb.pagelog.bookkeeper.meta;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.FencedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The page log's znodes under one base path: {@code epoch} ({@code <epoch>,<owner>}), {@code ledgers} (the
 * {@link Manifest}) and {@code checkpoints/c-<lsn>} (one completion each).
 *
 * <p>Invariants: (1) the epoch only grows, by compare-and-set on its version; (2) every manifest or completion
 * write is one ZooKeeper multi that first checks the epoch znode still has the writer's version, so a deposed
 * writer's metadata write fails whole, however late it arrives; (3) a failed guarded write changes nothing.
 *
 * <p>Thread safety: thread-safe (Curator is). Ownership: does not own the Curator client.
 */
public final class MetadataStore {
    private final CuratorFramework zk;
    private final String base;

    public MetadataStore(CuratorFramework zk, String base) {
        this.zk = zk;
        this.base = base;
    }

    private String epochPath() {
        return base + "/epoch";
    }

    private String manifestPath() {
        return base + "/ledgers";
    }

    private String checkpointsPath() {
        return base + "/checkpoints";
    }

    /** Creates the znodes of a new page log if they are missing. */
    public void ensureCreated() {
        create(epochPath(), "0,".getBytes(StandardCharsets.UTF_8));
        create(manifestPath(), Manifest.empty().encode());
        create(checkpointsPath(), new byte[0]);
    }

    private void create(String path, byte[] data) {
        try {
            zk.create().creatingParentsIfNeeded().forPath(path, data);
        } catch (KeeperException.NodeExistsException e) {
            // created by another node
        } catch (Exception e) {
            throw io("create " + path, e);
        }
    }

    /** The epoch znode now. */
    public EpochState readEpoch() {
        try {
            Stat stat = new Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(epochPath());
            return parseEpoch(data, stat.getVersion());
        } catch (Exception e) {
            throw io("read " + epochPath(), e);
        }
    }

    private EpochState parseEpoch(byte[] data, int version) {
        String s = new String(data, StandardCharsets.UTF_8);
        int comma = s.indexOf(',');
        try {
            return new EpochState(Long.parseLong(s.substring(0, comma)), s.substring(comma + 1), version);
        } catch (RuntimeException e) {
            throw new StrataException(ErrorCode.CORRUPTION, "unreadable epoch znode " + epochPath() + ": " + s, e);
        }
    }

    /** Claims epoch current + 1 for {@code owner} (retrying if another claim races it) and returns it. */
    public EpochState claim(String owner) {
        for (int attempt = 0; ; attempt++) {
            EpochState cur = readEpoch();
            long next = cur.epoch() + 1;
            try {
                Stat stat = zk.setData()
                        .withVersion(cur.version())
                        .forPath(epochPath(), (next + "," + owner).getBytes(StandardCharsets.UTF_8));
                return new EpochState(next, owner, stat.getVersion());
            } catch (KeeperException.BadVersionException e) {
                if (attempt > 100) {
                    throw io("claim epoch at " + epochPath() + " (too many concurrent claims)", e);
                }
            } catch (Exception e) {
                throw io("claim epoch at " + epochPath(), e);
            }
        }
    }

    /** Watches the epoch: {@code onEpoch} gets each newer epoch seen, until {@code stop} says stop. */
    public void watchEpoch(LongConsumer onEpoch, java.util.function.BooleanSupplier stop) {
        CuratorWatcher w = new CuratorWatcher() {
            @Override
            public void process(org.apache.zookeeper.WatchedEvent event) {
                rearm(this, onEpoch, stop);
            }
        };
        rearm(w, onEpoch, stop);
    }

    private void rearm(CuratorWatcher w, LongConsumer onEpoch, java.util.function.BooleanSupplier stop) {
        if (stop.getAsBoolean()) {
            return;
        }
        try {
            Stat stat = new Stat();
            byte[] data = zk.getData().storingStatIn(stat).usingWatcher(w).forPath(epochPath());
            onEpoch.accept(parseEpoch(data, stat.getVersion()).epoch());
        } catch (Exception e) {
            // the connection is down; the next guarded write or add reports fencing anyway
        }
    }

    /** The manifest now. */
    public Manifest readManifest() {
        try {
            Stat stat = new Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(manifestPath());
            return Manifest.decode(data, stat.getVersion(), manifestPath());
        } catch (StrataException e) {
            throw e;
        } catch (Exception e) {
            throw io("read " + manifestPath(), e);
        }
    }

    /**
     * The manifest as ZooKeeper holds it at or after the moment {@code claim} was written, or empty if the epoch
     * has moved past {@code claim}. ZooKeeper reads are not linearizable, but one session never reads older state
     * than it has read before: so the epoch znode is read first and must show the claim's version, and the
     * manifest is read after it in the same session (checked by the session id; a new session fails the call).
     */
    public Optional<Manifest> readManifestAfter(EpochState claim) {
        long session = sessionId();
        EpochState now = readEpoch();
        if (now.version() != claim.version()) {
            return Optional.empty();
        }
        Manifest m = readManifest();
        if (sessionId() != session) {
            throw new StrataException(
                    ErrorCode.IO_ERROR,
                    "ZooKeeper: the session changed while reading " + manifestPath() + " after epoch " + claim.epoch());
        }
        return Optional.of(m);
    }

    private long sessionId() {
        try {
            return zk.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            throw io("get the session of " + base, e);
        }
    }

    /** Replaces the manifest read as {@code expected} with {@code next}, if {@code mine} is still the epoch. */
    public Manifest writeManifest(EpochState mine, Manifest expected, Manifest next) {
        try {
            var results = zk.transaction()
                    .forOperations(
                            check(mine),
                            zk.transactionOp()
                                    .setData()
                                    .withVersion(expected.version())
                                    .forPath(manifestPath(), next.encode()));
            int version = results.get(1).getResultStat().getVersion();
            return new Manifest(next.ledgers(), next.highLsn(), version);
        } catch (Exception e) {
            throw guarded(mine, "write the ledger manifest " + manifestPath(), e);
        }
    }

    /** Publishes a completion, if {@code mine} is still the epoch. */
    public void addCompletion(EpochState mine, CheckpointCompletion c) {
        try {
            zk.transaction()
                    .forOperations(
                            check(mine), zk.transactionOp().create().forPath(completionPath(c.lsn()), encode(c)));
        } catch (Exception e) {
            throw guarded(mine, "publish the checkpoint completion at LSN " + c.lsn(), e);
        }
    }

    /** Removes completions below {@code lsn}, if {@code mine} is still the epoch. */
    public void removeCompletionsBelow(EpochState mine, long lsn) {
        List<CuratorOp> ops = new ArrayList<>();
        try {
            ops.add(check(mine));
            for (CheckpointCompletion c : readCompletions()) {
                if (c.lsn() < lsn) {
                    ops.add(zk.transactionOp().delete().forPath(completionPath(c.lsn())));
                }
            }
            if (ops.size() > 1) {
                zk.transaction().forOperations(ops);
            }
        } catch (StrataException e) {
            throw e;
        } catch (Exception e) {
            throw guarded(mine, "remove checkpoint completions below LSN " + lsn, e);
        }
    }

    /** A number that changes whenever a completion is published or removed (the children version). */
    public int completionsVersion() {
        try {
            Stat stat = zk.checkExists().forPath(checkpointsPath());
            return stat == null ? -1 : stat.getCversion();
        } catch (Exception e) {
            throw io("stat " + checkpointsPath(), e);
        }
    }

    /** Every published completion, oldest first. */
    public List<CheckpointCompletion> readCompletions() {
        try {
            List<String> names = new ArrayList<>(zk.getChildren().forPath(checkpointsPath()));
            names.sort(null);
            List<CheckpointCompletion> out = new ArrayList<>(names.size());
            for (String name : names) {
                long lsn = Long.parseLong(name.substring(2));
                try {
                    out.add(decode(lsn, zk.getData().forPath(checkpointsPath() + "/" + name)));
                } catch (KeeperException.NoNodeException gone) {
                    // reclaimed meanwhile
                }
            }
            return out;
        } catch (StrataException e) {
            throw e;
        } catch (Exception e) {
            throw io("read checkpoint completions under " + checkpointsPath(), e);
        }
    }

    private CuratorOp check(EpochState mine) throws Exception {
        return zk.transactionOp().check().withVersion(mine.version()).forPath(epochPath());
    }

    private String completionPath(long lsn) {
        return String.format(java.util.Locale.ROOT, "%s/c-%019d", checkpointsPath(), lsn);
    }

    private static byte[] encode(CheckpointCompletion c) {
        ByteBuffer b = ByteBuffer.allocate(24 + c.metadata().length);
        b.putLong(c.checkpointTimestamp())
                .putLong(c.oldestTimestamp())
                .putLong(c.epoch())
                .put(c.metadata());
        return b.array();
    }

    private CheckpointCompletion decode(long lsn, byte[] data) {
        if (data.length < 24) {
            throw new StrataException(ErrorCode.CORRUPTION, "unreadable checkpoint completion " + completionPath(lsn));
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        long ts = b.getLong();
        long oldest = b.getLong();
        long epoch = b.getLong();
        byte[] meta = new byte[b.remaining()];
        b.get(meta);
        return new CheckpointCompletion(lsn, ts, oldest, epoch, meta);
    }

    /** A failed guarded write: fenced if the epoch moved, else an I/O error. */
    private StrataException guarded(EpochState mine, String what, Exception e) {
        if (e instanceof KeeperException) {
            EpochState now = readEpoch();
            if (now.version() != mine.version()) {
                return new FencedException(mine.epoch(), now.epoch(), now.owner());
            }
        }
        return io(what, e);
    }

    private StrataException io(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new StrataException(ErrorCode.IO_ERROR, "ZooKeeper: cannot " + what + ": " + e, e);
    }
}
