package io.stratadb.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.CacheStats;
import io.stratadb.api.CheckpointInfo;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.cache.CacheManager;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.checkpoint.CheckpointLoader;
import io.stratadb.engine.checkpoint.CheckpointMeta;
import io.stratadb.engine.checkpoint.RedoWindow;
import io.stratadb.engine.layered.IngestPruner;
import io.stratadb.engine.layered.StableSet;
import io.stratadb.engine.log.LogCodec;
import io.stratadb.engine.reconcile.ReconcileOptions;
import io.stratadb.engine.reconcile.TableReconciler;
import io.stratadb.engine.txn.TxnManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's replication: tails the shared log into the ingest trees, picks up completed checkpoints as its
 * stable set, and prunes the ingest versions a picked-up checkpoint covers.
 *
 * <p>The applier thread reads the log after {@code appliedLsn} in batches; each batch is applied with the
 * node's one {@link LogReplayer} and then published at once ({@link TxnManager#finishReplay()}), so a reader
 * sees whole transactions. Every {@code pickupMillis} it checks for a newer completion when auto-pickup is on.
 *
 * <p>Pickup of completion C: first apply the log up to its end (every commit C covers is then in ingest), load
 * C's trees, publish them as a new {@link StableSet} generation, and remember that ingest versions durable at
 * or below C's timestamp may go once every transaction reading an older generation has ended; the applier
 * prunes them then. An older completion is refused (INVALID_ARGUMENT), the current one again is a no-op.
 *
 * <p>Invariants: (1) log records are applied exactly once, in LSN order; (2) the stable set only moves
 * forward; (3) the ingest trees never lose a version that a live transaction's stable set does not hold.
 *
 * <p>Thread safety: thread-safe. {@link #lock} serializes applying, pickup, pruning and {@link #stop}; readers
 * use {@link #stable()} without it.
 */
final class Follower {
    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);
    private static final int BATCH = 512;

    private final PageLog pageLog;
    private final Catalog catalog;
    private final TxnManager txns;
    private final ReconcileOptions options;
    private final boolean autoPickup;
    private final long pickupMillis;
    private final ReentrantLock lock = new ReentrantLock();

    private final java.util.function.Function<CheckpointMeta, LogReplayer> replayers;
    private final EngineConfig config;
    private volatile Map<Long, TableReconciler> stableReconcilers = Map.of();
    private volatile @Nullable CacheManager cache;

    @GuardedBy("lock")
    private LogReplayer replayer;

    @GuardedBy("lock")
    private long resyncs;

    @GuardedBy("lock")
    private CheckpointLoader.@Nullable Loaded loaded;

    @GuardedBy("lock")
    private long pruneTs = -1;

    @GuardedBy("lock")
    private long pruneGeneration;

    @GuardedBy("lock")
    private long lastPickupCheck;

    private volatile long appliedLsn;
    private volatile StableSet stable;
    private volatile boolean stopping;
    private volatile @Nullable Thread thread;
    private volatile @Nullable RuntimeException failure;

    private Follower(
            PageLog pageLog,
            Catalog catalog,
            TxnManager txns,
            ReconcileOptions options,
            LogReplayer replayer,
            java.util.function.Function<CheckpointMeta, LogReplayer> replayers,
            long appliedLsn,
            StableSet stable,
            CheckpointLoader.@Nullable Loaded loaded,
            boolean autoPickup,
            long pickupMillis,
            EngineConfig config) {
        this.config = config;
        this.pageLog = pageLog;
        this.catalog = catalog;
        this.txns = txns;
        this.options = options;
        this.replayer = replayer;
        this.replayers = replayers;
        this.appliedLsn = appliedLsn;
        this.stable = stable;
        this.loaded = loaded;
        this.autoPickup = autoPickup;
        this.pickupMillis = pickupMillis;
        if (loaded != null) {
            adopt(loaded, stable.checkpointLsn());
        }
    }

    /**
     * A follower starting from the newest completed checkpoint: its tables join {@code catalog} with empty
     * ingest trees, its trees become stable set 1, and its replay point is where applying the log starts.
     */
    static Follower fromNewestCheckpoint(
            PageLog pageLog,
            Catalog catalog,
            TxnManager txns,
            RedoWindow redo,
            ReconcileOptions options,
            EngineConfig config) {
        Optional<CheckpointCompletion> start = pageLog.completedCheckpoint(0);
        LogReplayer replayer;
        long replayAfter = 0;
        StableSet stable = StableSet.empty(1);
        CheckpointLoader.Loaded loaded = null;
        if (start.isPresent()) {
            CheckpointLoader.Image img = loadImage(pageLog, start.get(), options, config.autoPickup());
            for (CheckpointLoader.TableImage t : img.tables()) {
                catalog.add(t.id(), t.schema());
            }
            Map<Long, BTree> trees = img.trees();
            catalog.raiseNextId(img.nextTableId());
            loaded = img.loaded();
            CheckpointMeta m = loaded.meta();
            txns.replayTimestamps(m.oldestTs(), m.checkpointTs());
            stable = new StableSet(1, start.get().lsn(), m.checkpointTs(), trees);
            replayer = new LogReplayer(catalog, txns, redo, true, m.pointLsn(), m.checkpointTs());
            replayAfter = m.replayFrom() - 1;
        } else {
            replayer = new LogReplayer(catalog, txns, redo);
        }
        return create(pageLog, catalog, txns, redo, options, config, replayer, replayAfter, stable, loaded);
    }

    /**
     * A follower after a step-down: the live trees are its ingest trees, nothing is picked up (an empty stable
     * set of {@code generation}), and it applies the log after {@code lastLsn}, the last record it wrote.
     */
    static Follower afterStepDown(
            PageLog pageLog,
            Catalog catalog,
            TxnManager txns,
            RedoWindow redo,
            ReconcileOptions options,
            EngineConfig config,
            long lastLsn,
            long generation) {
        LogReplayer replayer = new LogReplayer(catalog, txns, redo);
        StableSet empty = StableSet.empty(generation);
        return create(pageLog, catalog, txns, redo, options, config, replayer, lastLsn, empty, null);
    }

    private static Follower create(
            PageLog pageLog,
            Catalog catalog,
            TxnManager txns,
            RedoWindow redo,
            ReconcileOptions options,
            EngineConfig config,
            LogReplayer replayer,
            long appliedLsn,
            StableSet stable,
            CheckpointLoader.@Nullable Loaded loaded) {
        long pickupMillis = Long.parseLong(config.options().getOrDefault("pickup_interval_ms", "100"));
        return new Follower(
                pageLog,
                catalog,
                txns,
                options,
                replayer,
                m -> new LogReplayer(catalog, txns, redo, true, m.pointLsn(), m.checkpointTs()),
                appliedLsn,
                stable,
                loaded,
                config.autoPickup(),
                pickupMillis,
                config);
    }

    /**
     * Loads checkpoint {@code c} as stable trees: lazily (stubs read on first access, evictable) when the follower
     * picks up automatically, else fully resident. A stub names a page of that checkpoint, which the leader keeps
     * only while it is the newest or the one before (see {@code Checkpointer.reclaim}); a follower that picks up
     * only on request can stay on one checkpoint indefinitely, so its stable trees are read whole and kept.
     */
    private static CheckpointLoader.Image loadImage(
            PageLog pageLog, CheckpointCompletion c, ReconcileOptions options, boolean lazy) {
        return CheckpointLoader.loadImage(pageLog, c, options, Long.MAX_VALUE, lazy);
    }

    /** Makes {@code l}'s reconcilers the ones the stable trees evict and read back through. */
    private void adopt(CheckpointLoader.Loaded l, long checkpointLsn) {
        for (TableReconciler r : l.reconcilers().values()) {
            r.readsMayBeReclaimed(() -> reclaimed(checkpointLsn));
        }
        stableReconcilers = l.reconcilers();
    }

    /** Whether the page log no longer retains the completed checkpoint at {@code checkpointLsn}. */
    private boolean reclaimed(long checkpointLsn) {
        List<CheckpointCompletion> cs = pageLog.completedCheckpoints();
        return cs.isEmpty() || cs.get(0).lsn() > checkpointLsn;
    }

    // ---------------------------------------------------------------- cache

    /** The trees the cache budget covers: stable trees (evictable when loaded lazily) and ingest trees (counted). */
    private List<CacheManager.CachedTree> cachedTrees() {
        List<CacheManager.CachedTree> out = new ArrayList<>();
        for (Map.Entry<Long, BTree> e : stable.trees().entrySet()) {
            out.add(new CacheManager.CachedTree(e.getKey(), e.getValue(), autoPickup));
        }
        for (TableEntry t : catalog.entries()) {
            out.add(new CacheManager.CachedTree(t.id(), t.tree(), false));
        }
        return out;
    }

    private long evict(long tableId, BTree tree, long want) {
        TableReconciler r = stableReconcilers.get(tableId);
        if (r == null || stable.trees().get(tableId) != tree) {
            return 0;
        }
        return tree.evictSome(want, r.stableEvictionCheck());
    }

    private CacheManager newCache() {
        return CacheManager.over(
                config.cacheBytes(),
                this::cachedTrees,
                this::evict,
                () -> {}, // a follower cannot checkpoint; its stable leaves are clean anyway
                System::currentTimeMillis,
                CacheManager.periodMs(config.options()),
                CacheManager.checkpointGapMs(config.options()));
    }

    /** What {@code SYS.CACHE} shows on this follower. */
    CacheStats cacheStats() {
        CacheManager cm = cache;
        return (cm != null ? cm : newCache()).stats();
    }

    /** The stable set readers use now. */
    StableSet stable() {
        return stable;
    }

    long appliedLsn() {
        return appliedLsn;
    }

    /** The checkpoint the stable trees come from, for a step-up's checkpointer (null if none). */
    CheckpointLoader.@Nullable Loaded loaded() {
        lock.lock();
        try {
            return loaded;
        } finally {
            lock.unlock();
        }
    }

    /** The applier's failure, if it stopped on one (the node then serves no fresh data). */
    @Nullable
    RuntimeException failure() {
        return failure;
    }

    // ---------------------------------------------------------------- applier thread

    void start(String nodeId) {
        CacheManager cm = newCache();
        cache = cm;
        cm.start(nodeId);
        stopping = false;
        Thread t = new Thread(this::run, "strata-follower-" + nodeId);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the applier thread and waits for it; state stays (step-up continues from it). */
    void stop() {
        CacheManager cm = cache;
        if (cm != null) {
            cm.close(); // before anything writes the stable trees (step-up drains into them)
            cache = null;
        }
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    private void run() {
        long idleNanos = 200_000;
        while (!stopping) {
            int applied;
            try {
                lock.lock();
                try {
                    applied = applyBatchLocked();
                    maintainLocked();
                } finally {
                    lock.unlock();
                }
            } catch (RuntimeException e) {
                if (e instanceof StrataException se && se.code() == ErrorCode.CLOSED) {
                    return;
                }
                failure = e;
                LOG.error("the follower stopped applying the log at LSN {}", appliedLsn, e);
                return;
            }
            if (applied == 0) {
                LockSupport.parkNanos(this, idleNanos);
                idleNanos = Math.min(idleNanos * 2, 2_000_000);
            } else {
                idleNanos = 200_000;
            }
        }
    }

    /** Applies every log record available now; returns the LSN reached. */
    long catchUp() {
        lock.lock();
        try {
            while (applyBatchLocked() > 0) {
                // keep going until the log has nothing more
            }
            return appliedLsn;
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private int applyBatchLocked() {
        long after = appliedLsn;
        List<LogRecord> batch = pageLog.readLog(after, BATCH);
        if (batch.isEmpty()) {
            return 0;
        }
        Optional<CheckpointCompletion> gap = reclaimedBeyond(after);
        if (gap.isPresent()) {
            resyncLocked(gap.get(), after);
            return 1;
        }
        for (LogRecord r : batch) {
            if (r.lsn() <= after) {
                throw new StrataException(
                        ErrorCode.CORRUPTION, "log record LSN " + r.lsn() + " is not after LSN " + after);
            }
            replayer.apply(r.lsn(), LogCodec.decode(r.lsn(), r.type(), r.payload()));
            after = r.lsn();
        }
        txns.finishReplay();
        appliedLsn = after;
        return batch.size();
    }

    /**
     * The newest completion, if the leader may have reclaimed log records this follower has not applied yet.
     * The leader reclaims only up to a completion X that is older than a newer completion C and below C's replay
     * start (see {@code Checkpointer.reclaim}); so records after {@code after} may be gone only if such an X
     * lies above {@code after}. Checked after each read, so a reclaim that happened before the read is seen.
     */
    @GuardedBy("lock")
    private Optional<CheckpointCompletion> reclaimedBeyond(long after) {
        List<CheckpointCompletion> cs = pageLog.completedCheckpoints();
        long newerReplayFrom = 0; // the largest replay start of the completions newer than the one looked at
        for (int i = cs.size() - 1; i >= 0; i--) {
            CheckpointCompletion x = cs.get(i);
            if (x.lsn() > after && x.lsn() < newerReplayFrom) {
                return Optional.of(cs.get(cs.size() - 1));
            }
            try {
                newerReplayFrom = Math.max(
                        newerReplayFrom,
                        CheckpointMeta.decode(x.metadata(), "completion " + x.lsn())
                                .replayFrom());
            } catch (StrataException e) {
                return Optional.empty(); // another engine version's metadata: cannot judge (and cannot load it)
            }
        }
        return Optional.empty();
    }

    /**
     * Starts over from completion {@code c} because log records after {@code after} may have been reclaimed:
     * active readers are rolled back (retryably), every table gets an empty ingest tree, tables the checkpoint
     * does not have leave the catalogue (the log re-creates them), prepared transactions are forgotten (the log
     * restores them), and the log is replayed from the checkpoint's replay point, as at open.
     */
    @GuardedBy("lock")
    private void resyncLocked(CheckpointCompletion c, long after) {
        LOG.warn(
                "follower fell behind: log records after LSN {} may have been reclaimed; re-synchronizing from the"
                        + " checkpoint at LSN {}",
                after,
                c.lsn());
        txns.rollbackReaders("the follower re-synchronized with the page log after falling behind");
        CheckpointLoader.Image img = loadImage(pageLog, c, options, autoPickup);
        Map<Long, BTree> trees = img.trees();
        for (TableEntry e : catalog.entries()) {
            if (trees.containsKey(e.id())) {
                e.replaceTree(new BTree());
            } else {
                catalog.remove(e.name());
            }
        }
        for (CheckpointLoader.TableImage t : img.tables()) {
            if (catalog.byId(t.id()) == null) {
                catalog.add(t.id(), t.schema());
            }
        }
        catalog.raiseNextId(img.nextTableId());
        txns.forgetPrepared();
        CheckpointMeta meta = img.loaded().meta();
        txns.replayTimestamps(meta.oldestTs(), meta.checkpointTs());
        replayer = replayers.apply(meta);
        adopt(img.loaded(), c.lsn());
        stable = new StableSet(stable.generation() + 1, c.lsn(), meta.checkpointTs(), trees);
        loaded = img.loaded();
        pruneTs = -1;
        appliedLsn = meta.replayFrom() - 1;
        resyncs++;
    }

    /** How many times this follower started over after falling behind (tests). */
    long resyncs() {
        lock.lock();
        try {
            return resyncs;
        } finally {
            lock.unlock();
        }
    }

    /** Auto-pickup and ingest pruning, on the applier thread. */
    @GuardedBy("lock")
    private void maintainLocked() {
        long now = System.nanoTime();
        if (autoPickup && now - lastPickupCheck > TimeUnit.MILLISECONDS.toNanos(pickupMillis)) {
            lastPickupCheck = now;
            Optional<CheckpointCompletion> newest = pageLog.completedCheckpoint(0);
            if (newest.isPresent() && newest.get().lsn() > stable.checkpointLsn()) {
                pickUpNewestLocked(newest.get());
            }
        }
        if (pruneTs >= 0 && txns.minStableGeneration() >= pruneGeneration) {
            long removed = 0;
            for (TableEntry t : catalog.entries()) {
                removed += IngestPruner.prune(t.tree(), pruneTs);
            }
            LOG.debug("pruned {} ingest keys covered by the checkpoint at ts {}", removed, pruneTs);
            pruneTs = -1;
        }
    }

    // ---------------------------------------------------------------- pickup

    /**
     * Picks up the completed checkpoint {@code selector} selects (0 = the newest); returns it, or empty when the
     * page log has none.
     */
    Optional<CheckpointInfo> pickUp(long selector) {
        lock.lock();
        try {
            Optional<CheckpointCompletion> c = pageLog.completedCheckpoint(selector);
            if (c.isEmpty()) {
                return Optional.empty();
            }
            CheckpointCompletion cc = c.get();
            long current = stable.checkpointLsn();
            if (cc.lsn() < current) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        "checkpoint at LSN " + cc.lsn() + " is older than the picked-up checkpoint at LSN " + current);
            }
            if (cc.lsn() > current && selector == 0) {
                cc = pickUpNewestLocked(cc);
            } else if (cc.lsn() > current) {
                pickUpLocked(cc);
            }
            return Optional.of(info(cc));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Picks up {@code c}, the newest completion when it was listed. While this node reads its pages, the leader
     * may complete two more checkpoints and reclaim the pages {@code c} needs (it keeps only the checkpoint
     * before its newest readable); loading then fails as corrupt, and the newest completion, which is
     * readable, is picked up instead. Returns the completion picked up.
     */
    @GuardedBy("lock")
    private CheckpointCompletion pickUpNewestLocked(CheckpointCompletion c) {
        CheckpointCompletion target = c;
        while (true) {
            try {
                pickUpLocked(target);
                return target;
            } catch (StrataException e) {
                Optional<CheckpointCompletion> newer = pageLog.completedCheckpoint(0);
                if (e.code() != ErrorCode.CORRUPTION
                        || newer.isEmpty()
                        || newer.get().lsn() <= target.lsn()) {
                    throw e;
                }
                LOG.info(
                        "the checkpoint at LSN {} was reclaimed while it was being picked up ({}); picking up the"
                                + " newer one at LSN {}",
                        target.lsn(),
                        e.getMessage(),
                        newer.get().lsn());
                target = newer.get();
            }
        }
    }

    @GuardedBy("lock")
    private void pickUpLocked(CheckpointCompletion c) {
        while (applyBatchLocked() > 0) {
            // everything the checkpoint covers must be in ingest before its stable trees replace the old ones
        }
        CheckpointLoader.Image img = loadImage(pageLog, c, options, autoPickup);
        Map<Long, BTree> trees = img.trees();
        CheckpointMeta meta = img.loaded().meta();
        adopt(img.loaded(), c.lsn());
        StableSet next = new StableSet(stable.generation() + 1, c.lsn(), meta.checkpointTs(), trees);
        txns.replayTimestamps(meta.oldestTs(), meta.checkpointTs());
        stable = next;
        loaded = img.loaded();
        pruneTs = meta.checkpointTs();
        pruneGeneration = next.generation();
        LOG.info("picked up the checkpoint at LSN {} (ts {})", c.lsn(), meta.checkpointTs());
    }

    static CheckpointInfo info(CheckpointCompletion c) {
        int tables;
        try {
            tables =
                    CheckpointMeta.decode(c.metadata(), "completion " + c.lsn()).tables();
        } catch (StrataException e) {
            tables = -1;
        }
        return new CheckpointInfo(c.lsn(), c.checkpointTimestamp(), c.oldestTimestamp(), tables);
    }
}
