package io.stratadb.engine.checkpoint;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.CheckpointInfo;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTimestamps;
import io.stratadb.api.StrataException;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogTableStats;
import io.stratadb.api.pagelog.PutArgs;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.UpdateOwner;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.SchemaCodec;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.reconcile.Block;
import io.stratadb.engine.reconcile.ReconcileOptions;
import io.stratadb.engine.reconcile.ReconcileStats;
import io.stratadb.engine.reconcile.TableReconciler;
import io.stratadb.engine.txn.TxnManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's checkpoint: writes exactly the updates durable at or below the stable timestamp, then commits
 * the checkpoint with one completion record.
 *
 * <p>Sequence (crash windows in {@code site/src/site/markdown/checkpoints.md}):
 *
 * <ol>
 *   <li>consistent point, under the commit lock (briefly): checkpoint timestamp = stable, oldest, the commit
 *       sequence, the newest log LSN, the tables and the redo window's start;
 *   <li>data pages: every changed leaf as a full image or delta ({@link TableReconciler}); commits keep running
 *       and are left out by the precise rule; crash point {@code pages};
 *   <li>the catalogue root page; crash point {@code catalog};
 *   <li>the local turtle ({@code turtle.prev} first); crash point {@code turtle};
 *   <li>{@link PageLog#completeCheckpoint} - the single commit point; crash point {@code complete};
 *   <li>remove {@code turtle.prev}; make the reconcilers' staged state current; reclaim page-log space below
 *       the previous checkpoint that the redo window no longer needs.
 * </ol>
 *
 * A failure before the completion abandons the page log's records above the last completion, reverts the
 * turtle and the reconcilers, and rethrows; the database stays as it was.
 *
 * <p>Invariants: (1) one checkpoint at a time ({@link #lock}); (2) the checkpoint timestamp never decreases;
 * (3) page ids and the catalogue root's backlinks follow the page log's chain rules.
 *
 * <p>Thread safety: thread-safe. Lock order: {@link #lock}, then the commit lock (only for the consistent
 * point), then B+tree locks.
 */
public final class Checkpointer {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final PageLog pageLog;
    private final Catalog catalog;
    private final TxnManager txns;
    private final RedoWindow redo;
    private final @Nullable Turtle turtle;
    private final ReconcileOptions options;
    private final CrashPoint crash;
    private final ReentrantLock lock = new ReentrantLock();
    private final PageLogHandle catalogHandle;
    private final SyncPacer pacer;

    @GuardedBy("lock")
    private final Map<Long, TableReconciler> reconcilers = new HashMap<>();

    /** The leader's horizon rule: what eviction requires, and what pages read back are folded by. */
    private final Predicate<UpdateOwner> readBackFold;

    @GuardedBy("lock")
    private long catalogLsn;

    @GuardedBy("lock")
    private long reclaimedLsn;

    /** Page bytes the page log held right after the last reclaim; -1 before the first one. */
    @GuardedBy("lock")
    private long bytesAfterReclaim = -1;

    private volatile long lastCheckpointTs;
    private volatile long lastCheckpointLsn;

    /** A checkpointer continuing from a loaded checkpoint ({@code loaded}, or nothing). */
    public Checkpointer(
            PageLog pageLog,
            Catalog catalog,
            TxnManager txns,
            RedoWindow redo,
            @Nullable Turtle turtle,
            ReconcileOptions options,
            CrashPoint crash,
            CheckpointLoader.@Nullable Loaded loaded) {
        this.pageLog = pageLog;
        this.catalog = catalog;
        this.txns = txns;
        this.redo = redo;
        this.turtle = turtle;
        this.options = options;
        this.crash = crash;
        this.catalogHandle = pageLog.openHandle(CatalogRoot.TABLE_ID);
        this.readBackFold = txns.horizon()::visibleToAll;
        this.pacer = loaded != null ? loaded.pacer() : new SyncPacer(pageLog);
        if (loaded != null) {
            lock.lock();
            try {
                reconcilers.putAll(loaded.reconcilers());
                for (TableReconciler r : reconcilers.values()) {
                    r.foldReadBacks(readBackFold); // pages the lazy open left on disk are folded when first read
                }
                catalogLsn = loaded.meta().catalogLsn();
            } finally {
                lock.unlock();
            }
            lastCheckpointTs = loaded.meta().checkpointTs();
            lastCheckpointLsn = loaded.completion().lsn();
            if (LOG.isInfoEnabled()) {
                Map<Long, Long> nextPageIds = new TreeMap<>();
                loaded.reconcilers().forEach((id, r) -> nextPageIds.put(id, r.nextPageId()));
                LOG.info(
                        "checkpointer continues from the checkpoint completed at LSN {} (ts {}, catalogue LSN {});"
                                + " next page id by table: {}",
                        lastCheckpointLsn,
                        lastCheckpointTs,
                        loaded.meta().catalogLsn(),
                        nextPageIds);
            }
        } else {
            LOG.info(
                    "checkpointer starts from no completed checkpoint: every table's page ids start at {}",
                    PageLogHandle.MIN_PAGE_ID);
        }
    }

    /** The timestamp of the last completed checkpoint (0 if none). */
    public long lastCheckpointTs() {
        return lastCheckpointTs;
    }

    /** The LSN of the last completed checkpoint's completion record (0 if none). */
    public long lastCheckpointLsn() {
        return lastCheckpointLsn;
    }

    /** What the reconciler of {@code tableId} wrote since open, or null if it has none. */
    public @Nullable ReconcileStats stats(long tableId) {
        lock.lock();
        try {
            TableReconciler r = reconcilers.get(tableId);
            return r == null ? null : r.stats();
        } finally {
            lock.unlock();
        }
    }

    /**
     * One clock step of eviction over {@code tree}, the tree of table {@code tableId} ({@link BTree#evictSome}),
     * with the table reconciler's eviction rule under the leader's horizon. Evicts nothing (returns 0) while a
     * checkpoint runs or before the table's first checkpoint: only leaves a completed checkpoint wrote can be
     * evicted. Returns bytes freed.
     */
    public long evict(long tableId, BTree tree, long want) {
        if (!lock.tryLock()) {
            return 0;
        }
        try {
            TableReconciler r = reconcilers.get(tableId);
            return r == null ? 0 : tree.evictSome(want, r.evictionCheck(readBackFold));
        } finally {
            lock.unlock();
        }
    }

    /** The consistent point of a checkpoint. */
    private record Point(
            long ts, long oldest, long seq, long lsn, long replayFrom, long nextTableId, List<TableEntry> tables) {}

    /** Runs one checkpoint; returns it once complete. */
    public CheckpointInfo run() {
        lock.lock();
        try {
            return runLocked();
        } finally {
            lock.unlock();
        }
    }

    /** A completed checkpoint and the LSN its recovery replays from. */
    private record Completed(CheckpointInfo info, long replayFrom) {}

    @GuardedBy("lock")
    private CheckpointInfo runLocked() {
        Completed done;
        pacer.begin();
        try {
            done = runPinned();
        } finally {
            pacer.end();
            txns.horizon().unpinCheckpoint();
        }
        // after the unpin: a reclaim copies records on disk and needs no version kept in memory, and it can take
        // seconds (it copies the log written since the previous checkpoint), during which a pinned horizon
        // folded nothing: every update stayed in its chain, and scans and updates ran 2-4x slower
        reclaim(done.info().lsn(), done.replayFrom());
        return done.info();
    }

    @GuardedBy("lock")
    private Completed runPinned() {
        Point p = txns.withCommitLock(() -> {
            GlobalTimestamps ts = txns.timestamps();
            long lsn = pageLog.lastLsn();
            txns.horizon().pinCheckpoint(txns.visibleSeq(), ts.stable());
            // AUTO mode keeps no history before stable (oldest follows it), so neither does its checkpoint
            long oldest = txns.mode() == TimestampMode.AUTO ? ts.stable() : ts.oldest();
            return new Point(
                    ts.stable(),
                    oldest,
                    txns.visibleSeq(),
                    lsn,
                    redo.replayFrom(lsn, ts.stable()),
                    catalog.peekNextId(),
                    catalog.entries());
        });
        if (p.ts() < lastCheckpointTs) {
            throw new StrataException(
                    ErrorCode.INTERNAL,
                    "checkpoint timestamp " + p.ts() + " is before the last checkpoint's " + lastCheckpointTs);
        }
        List<Long> dropped = new ArrayList<>();
        boolean turtleInstalled = false;
        try {
            List<CatalogRoot.TableRoot> roots = new ArrayList<>();
            Map<Long, TableEntry> live = new HashMap<>();
            for (TableEntry t : p.tables()) {
                live.put(t.id(), t);
            }
            for (Map.Entry<Long, TableReconciler> e : reconcilers.entrySet()) {
                if (!live.containsKey(e.getKey())) {
                    e.getValue().discardTable();
                    dropped.add(e.getKey());
                }
            }
            for (TableEntry t : p.tables()) {
                TableReconciler r = reconcilers.computeIfAbsent(t.id(), id -> {
                    TableReconciler fresh = new TableReconciler(
                            id, pacer.wrap(pageLog.openHandle(id)), options, PageLogHandle.MIN_PAGE_ID);
                    fresh.foldReadBacks(readBackFold);
                    return fresh;
                });
                List<CatalogRoot.PageRef> pages = new ArrayList<>();
                for (Block b : r.reconcile(t.tree(), p.ts(), p.oldest(), p.seq())) {
                    pages.add(new CatalogRoot.PageRef(
                            b.pageId(), b.lastLsn(), b.baseLsn(), b.deltaCount(), b.keys(), b.lowKey()));
                }
                roots.add(new CatalogRoot.TableRoot(t.id(), SchemaCodec.encode(t.schema()), r.nextPageId(), pages));
            }
            crash.reached(CrashPoint.PAGES);
            byte[] root = new CatalogRoot(p.nextTableId(), roots).encode();
            long rootLsn = catalogHandle.put(CatalogRoot.PAGE_ID, PutArgs.full(catalogLsn), root);
            crash.reached(CrashPoint.CATALOG);
            CheckpointMeta meta = new CheckpointMeta(
                    rootLsn,
                    CatalogRoot.crc(root, root.length),
                    p.ts(),
                    p.oldest(),
                    p.lsn(),
                    p.replayFrom(),
                    roots.size());
            byte[] metaBytes = meta.encode();
            if (turtle != null) {
                turtleInstalled = true;
                turtle.install(metaBytes);
            }
            crash.reached(CrashPoint.TURTLE);
            CheckpointCompletion c = pageLog.completeCheckpoint(p.ts(), p.oldest(), metaBytes);
            turtleInstalled = false;
            crash.reached(CrashPoint.COMPLETE);
            if (turtle != null) {
                turtle.dropPrev();
            }
            for (TableReconciler r : reconcilers.values()) {
                r.commit();
            }
            for (long id : dropped) {
                reconcilers.remove(id);
            }
            catalogLsn = rootLsn;
            lastCheckpointTs = p.ts();
            lastCheckpointLsn = c.lsn();
            LOG.debug("checkpoint at ts {} complete at LSN {} ({} tables)", p.ts(), c.lsn(), roots.size());
            return new Completed(new CheckpointInfo(c.lsn(), p.ts(), p.oldest(), roots.size()), p.replayFrom());
        } catch (RuntimeException e) {
            for (TableReconciler r : reconcilers.values()) {
                r.rollback();
            }
            try {
                pageLog.abandonCheckpoint();
                if (turtleInstalled && turtle != null) {
                    turtle.revert();
                }
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Reclaims what no read at or after the newest completed checkpoint below both {@code completedLsn} and the
     * redo window's start needs, so the previous checkpoint stays readable and replay keeps its log records.
     *
     * <p>A reclaim copies every live record forward, so it runs only once the page records held have doubled
     * since the last one (superseded ones at least equal the live ones): space stays within about twice the
     * live pages plus the log, and a checkpoint that changed little does not rewrite the whole database.
     */
    @GuardedBy("lock")
    private void reclaim(long completedLsn, long replayFrom) {
        long target = 0;
        for (CheckpointCompletion c : pageLog.completedCheckpoints()) {
            if (c.lsn() < completedLsn && c.lsn() < replayFrom) {
                target = Math.max(target, c.lsn());
            }
        }
        if (target > reclaimedLsn) {
            if (bytesAfterReclaim >= 0 && pageBytes() < 2 * bytesAfterReclaim) {
                return; // not worth copying every live record yet
            }
            try {
                pageLog.reclaim(target);
                reclaimedLsn = target;
                bytesAfterReclaim = pageBytes();
            } catch (StrataException e) {
                LOG.warn("reclaiming page-log space below LSN {} failed: {}", target, e.getMessage());
            }
        }
    }

    /** Bytes of the page records the page log holds (every table and the catalogue). */
    private long pageBytes() {
        long b = 0;
        for (PageLogTableStats s : pageLog.stats()) {
            b += s.bytes();
        }
        return b;
    }
}
