package io.stratadb.engine.cache;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.CacheStats;
import io.stratadb.api.StrataException;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.catalog.TableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache budget of one engine and its evictor thread: keeps the estimated bytes of the resident leaves of
 * every table near {@code budget}.
 *
 * <p>Policy (see {@code site/src/site/markdown/cache.md}): every {@code periodMs} the evictor sums the trees'
 * resident bytes. Over the budget, it runs clock steps ({@link Evictor}) table by table until the total is
 * back under the low-water mark (90% of the budget). When a whole round frees nothing (every resident leaf is
 * changed since the last checkpoint, or holds history) it asks for a checkpoint, at most once per {@code
 * checkpointGapMs}, since a completed checkpoint makes leaves clean. After a round that freed nothing it
 * backs off for a tenth of that gap. Under the budget it re-measures 256 leaves per table every fourth
 * tick (values written in place change a leaf's size without a structural change).
 *
 * <p>Invariants: (1) only one thread evicts at a time ({@link #lock}): the evictor thread, or a
 * thread that just read a page back while the cache is over twice its budget (synchronous eviction, which never
 * checkpoints); (2) the statistics are
 * sums over the live tables (a dropped table's counters leave with it); (3) eviction never loses a version (the tree and the reconciler decide what is evictable).
 *
 * <p>Thread safety: thread-safe.
 */
public final class CacheManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CacheManager.class);

    /** One clock step of eviction on one table: frees up to {@code want} bytes, returns what it freed. */
    @FunctionalInterface
    public interface Evictor {
        long evict(long tableId, BTree tree, long want);
    }

    /**
     * One tree the budget covers.
     *
     * @param tableId its table id
     * @param tree the tree
     * @param evictable whether the evictor may drop its leaves (false: counted only, e.g. a follower's ingest
     *     tree, whose versions exist only in memory and the log)
     */
    public record CachedTree(long tableId, BTree tree, boolean evictable) {}

    /** The trees the budget covers now. */
    @FunctionalInterface
    public interface TreeSource {
        List<CachedTree> trees();
    }

    private static final int REMEASURE_EVERY = 4;
    private static final int REMEASURE_LEAVES = 256;

    private final long budget;
    private final TreeSource tables;
    private final Evictor evictor;
    private final Runnable checkpoint;
    private final LongSupplier clockMs;
    private final long periodMs;
    private final long checkpointGapMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Runnable relieve = this::relieve;
    private volatile boolean closed;
    private volatile @Nullable Thread thread;

    @GuardedBy("lock")
    private long lastCheckpointMs = Long.MIN_VALUE / 2;

    @GuardedBy("lock")
    private int nextTable;

    @GuardedBy("lock")
    private long backoffUntilMs = Long.MIN_VALUE / 2;

    @GuardedBy("lock")
    private long ticks;

    /**
     * A cache of {@code budget} bytes over {@code tables}; {@code checkpoint} runs a checkpoint (from the evictor
     * thread); {@code clockMs} gives milliseconds.
     */
    public CacheManager(
            long budget,
            Supplier<List<TableEntry>> tables,
            Evictor evictor,
            Runnable checkpoint,
            LongSupplier clockMs,
            long periodMs,
            long checkpointGapMs) {
        this(
                budget,
                (TreeSource) () -> leaderTrees(tables.get()),
                evictor,
                checkpoint,
                clockMs,
                periodMs,
                checkpointGapMs);
    }

    /**
     * A cache of {@code budget} bytes over the trees {@code trees} lists (a follower's: stable trees evictable,
     * ingest trees counted); {@code checkpoint} runs when a round frees nothing (a no-op where checkpoints
     * cannot run).
     */
    public static CacheManager over(
            long budget,
            TreeSource trees,
            Evictor evictor,
            Runnable checkpoint,
            LongSupplier clockMs,
            long periodMs,
            long checkpointGapMs) {
        return new CacheManager(budget, trees, evictor, checkpoint, clockMs, periodMs, checkpointGapMs);
    }

    /** The evictor's period from the engine options ({@code evict_period_ms}, default 20). */
    public static long periodMs(java.util.Map<String, String> options) {
        return Long.parseLong(options.getOrDefault("evict_period_ms", "20"));
    }

    /**
     * The shortest time between two checkpoints the evictor asks for when nothing is evictable, from the engine
     * options ({@code evict_checkpoint_gap_ms}, default 1000).
     */
    public static long checkpointGapMs(java.util.Map<String, String> options) {
        return Long.parseLong(options.getOrDefault("evict_checkpoint_gap_ms", "1000"));
    }

    private static List<CachedTree> leaderTrees(List<TableEntry> entries) {
        List<CachedTree> out = new ArrayList<>(entries.size());
        for (TableEntry t : entries) {
            out.add(new CachedTree(t.id(), t.tree(), true));
        }
        return out;
    }

    private CacheManager(
            long budget,
            TreeSource tables,
            Evictor evictor,
            Runnable checkpoint,
            LongSupplier clockMs,
            long periodMs,
            long checkpointGapMs) {
        this.budget = budget;
        this.tables = tables;
        this.evictor = evictor;
        this.checkpoint = checkpoint;
        this.clockMs = clockMs;
        this.periodMs = periodMs;
        this.checkpointGapMs = checkpointGapMs;
    }

    /** Starts the evictor thread (a daemon). */
    public void start(String nodeId) {
        Thread t = new Thread(this::loop, "strata-evictor-" + nodeId);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void loop() {
        while (!closed) {
            // parked, not interrupted on close: an interrupt would close the page log's file channels mid-read
            LockSupport.parkNanos(this, periodMs * 1_000_000L);
            if (closed) {
                return;
            }
            try {
                runOnce();
            } catch (StrataException e) {
                LOG.warn("eviction step failed: {}", e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("eviction step failed", e);
            }
        }
    }

    /** The estimated bytes of every table's resident leaves. */
    public long usedBytes() {
        long used = 0;
        for (CachedTree t : tables.trees()) {
            used += t.tree().residentBytes();
        }
        return used;
    }

    /** One evictor step (the thread's body; tests call it directly). Returns the bytes freed. */
    public long runOnce() {
        lock.lock();
        try {
            return step(true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Synchronous eviction on a thread that just read a page back: when the cache is more than twice its budget
     * (the evictor thread is falling behind, e.g. under a scan), evicts right away, unless another thread is
     * evicting. Never checkpoints.
     */
    private void relieve() {
        if (!closed && usedBytes() > 2 * budget && lock.tryLock()) {
            try {
                step(false);
            } finally {
                lock.unlock();
            }
        }
    }

    @GuardedBy("lock")
    private long step(boolean mayCheckpoint) {
        List<CachedTree> all = tables.trees();
        List<CachedTree> ts = new ArrayList<>(all.size());
        for (CachedTree t : all) {
            if (t.evictable()) {
                ts.add(t);
                t.tree().onReadBack(relieve);
            }
        }
        if (ts.isEmpty()) {
            return 0;
        }
        long used = usedBytes();
        ticks++;
        if (used <= budget) {
            if (ticks % REMEASURE_EVERY == 0) {
                for (CachedTree t : ts) {
                    t.tree().remeasure(REMEASURE_LEAVES);
                }
            }
            return 0;
        }
        long now = clockMs.getAsLong();
        if (mayCheckpoint && now < backoffUntilMs) {
            return 0;
        }
        long want = used - budget / 10 * 9;
        long freed = 0;
        for (int k = 0; k < ts.size() && freed < want; k++) {
            CachedTree t = ts.get(Math.floorMod(nextTable++, ts.size()));
            freed += evictor.evict(t.tableId(), t.tree(), want - freed);
        }
        if (freed == 0 && mayCheckpoint) {
            // a fruitless clock round walked every resident leaf: do not repeat it on every tick
            backoffUntilMs = now + Math.max(periodMs, checkpointGapMs / 10);
            if (now - lastCheckpointMs >= checkpointGapMs) {
                lastCheckpointMs = now;
                LOG.debug("cache over budget ({} of {} bytes) with nothing evictable: checkpointing", used, budget);
                checkpoint.run();
            }
        }
        return freed;
    }

    /** The statistics {@code SYS.CACHE} shows. */
    public CacheStats stats() {
        long used = 0;
        long pages = 0;
        long evictions = 0;
        long reads = 0;
        for (CachedTree t : tables.trees()) {
            BTree tree = t.tree();
            used += tree.residentBytes();
            pages += tree.residentLeafCount();
            evictions += tree.evictions();
            reads += tree.reads();
        }
        return new CacheStats(budget, used, pages, evictions, reads);
    }

    /** Stops the evictor thread and waits for it (at most five seconds). */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
