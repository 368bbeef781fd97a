package io.stratadb.engine.checkpoint;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.LoadedPage;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.SchemaCodec;
import io.stratadb.engine.reconcile.Block;
import io.stratadb.engine.reconcile.ImageEntry;
import io.stratadb.engine.reconcile.PageReader;
import io.stratadb.engine.reconcile.ReconcileOptions;
import io.stratadb.engine.reconcile.StoredSlots;
import io.stratadb.engine.reconcile.StoredVersion;
import io.stratadb.engine.reconcile.TableReconciler;
import io.stratadb.engine.txn.TxnManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery from the last completed checkpoint: resolves the local turtle against the page log (seed
 * 002), then loads the catalogue root and builds every table's tree from it. With a version 2 catalogue root
 * the load is lazy: each page becomes an evicted leaf (a stub routed by the page's low key) and is read on
 * first access; with a version 1 root every page is read and checked, and pages past the cache budget are kept
 * as stubs only.
 *
 * <p>Turtle resolution: with {@code turtle.prev} present, a crash hit the window between installing the new
 * turtle and removing {@code .prev}; if the page log's newest completion carries exactly {@code .prev}'s
 * metadata the checkpoint never completed and {@code .prev} is put back, otherwise the turtle is current. Then
 * the chosen local metadata must equal the newest completion's, or name an older completion (another node
 * checkpointed since; the page log wins); a local checkpoint the page log does not know fails with
 * INVALID_STATE. Option {@code lose_all_my_data=true} skips the comparison and trusts the page log.
 *
 * <p>Invariants: (1) loaded versions are committed at sequence 0 with their stored commit and durable
 * timestamps, so every snapshot sees them and timestamped reads honour them; (2) every page read passed its
 * checksum (else CORRUPTION: the open fails, or the first access to a lazily loaded page fails); (3) stable and oldest are raised to the checkpoint's, never
 * lowered.
 *
 * <p>Thread safety: single-threaded, during engine open.
 */
public final class CheckpointLoader {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLoader.class);

    private CheckpointLoader() {}

    /**
     * A loaded checkpoint.
     *
     * @param completion its completion record
     * @param meta its metadata
     * @param reconcilers the tables' reconcilers, holding the loaded blocks
     */
    public record Loaded(
            CheckpointCompletion completion,
            CheckpointMeta meta,
            Map<Long, TableReconciler> reconcilers,
            SyncPacer pacer) {
        public Loaded {
            reconcilers = Map.copyOf(reconcilers);
        }
    }

    /** The checkpoint to start from: the turtle resolved against the page log (see the class comment). */
    public static Optional<CheckpointCompletion> resolve(
            PageLog pageLog, @Nullable Turtle turtle, boolean loseAllMyData) {
        Optional<CheckpointCompletion> newest = pageLog.completedCheckpoint(0);
        if (turtle == null) {
            return newest;
        }
        if (loseAllMyData) {
            turtle.dropPrev();
            newest.ifPresent(c -> turtle.replace(c.metadata()));
            return newest;
        }
        byte[] local = turtle.read();
        byte[] prev = turtle.readPrev();
        if (prev != null) {
            boolean prevIsNewest =
                    newest.isPresent() ? Arrays.equals(prev, newest.get().metadata()) : prev.length == 0;
            if (prevIsNewest) {
                LOG.info("the last checkpoint did not complete in the page log; restoring turtle.prev");
                turtle.revert();
                local = prev.length == 0 ? null : prev;
            } else {
                turtle.dropPrev();
            }
        }
        if (local == null) {
            newest.ifPresent(c -> turtle.replace(c.metadata()));
            return newest;
        }
        CheckpointMeta mine = CheckpointMeta.decode(local, "the local turtle");
        if (newest.isEmpty()) {
            throw new StrataException(
                    ErrorCode.INVALID_STATE,
                    "the local turtle names a checkpoint at timestamp " + mine.checkpointTs()
                            + " but the page log has no completed checkpoint; open with lose_all_my_data=true"
                            + " to trust the page log");
        }
        CheckpointCompletion c = newest.get();
        if (Arrays.equals(local, c.metadata())) {
            return newest;
        }
        CheckpointMeta theirs = CheckpointMeta.decode(c.metadata(), "the completion at LSN " + c.lsn());
        if (theirs.catalogLsn() > mine.catalogLsn() && theirs.checkpointTs() >= mine.checkpointTs()) {
            LOG.warn(
                    "the page log has a newer checkpoint (ts {}) than the local turtle (ts {}); using the page log's",
                    theirs.checkpointTs(),
                    mine.checkpointTs());
            turtle.replace(c.metadata());
            return newest;
        }
        throw new StrataException(
                ErrorCode.INVALID_STATE,
                "the local turtle (checkpoint ts " + mine.checkpointTs() + ", catalogue LSN " + mine.catalogLsn()
                        + ") does not match the page log's newest completed checkpoint (ts "
                        + theirs.checkpointTs() + ", catalogue LSN " + theirs.catalogLsn()
                        + "); open with lose_all_my_data=true to trust the page log");
    }

    /**
     * One table of a loaded checkpoint image.
     *
     * @param id table id
     * @param schema the table's schema
     * @param tree the table's tree as of the checkpoint
     */
    public record TableImage(long id, TableSchema schema, BTree tree) {}

    /**
     * A checkpoint read from the page log: its trees and the reconcilers that continue from them.
     *
     * @param loaded completion, metadata and reconcilers (what a checkpointer continues from)
     * @param tables the tables of its catalogue root
     * @param nextTableId the catalogue's table-id counter
     */
    public record Image(Loaded loaded, List<TableImage> tables, long nextTableId) {
        public Image {
            tables = List.copyOf(tables);
        }

        /** The tables' trees by table id (a follower's stable set). */
        public Map<Long, BTree> trees() {
            Map<Long, BTree> out = new HashMap<>();
            for (TableImage t : tables) {
                out.put(t.id(), t.tree());
            }
            return out;
        }
    }

    /** Loads {@code c} into the empty {@code catalog}, raising the timestamps of {@code txns}. */
    public static Loaded load(
            PageLog pageLog, CheckpointCompletion c, Catalog catalog, TxnManager txns, ReconcileOptions options) {
        return load(pageLog, c, catalog, txns, options, Long.MAX_VALUE);
    }

    /** As {@link #load(PageLog, CheckpointCompletion, Catalog, TxnManager, ReconcileOptions)}, within a cache budget. */
    public static Loaded load(
            PageLog pageLog,
            CheckpointCompletion c,
            Catalog catalog,
            TxnManager txns,
            ReconcileOptions options,
            long residentBytes) {
        Image img = loadImage(pageLog, c, options, residentBytes, true);
        for (TableImage t : img.tables()) {
            catalog.add(t.id(), t.schema(), t.tree());
        }
        catalog.raiseNextId(img.nextTableId());
        CheckpointMeta meta = img.loaded().meta();
        txns.replayTimestamps(meta.oldestTs(), meta.checkpointTs());
        return img.loaded();
    }

    /** Reads every table of checkpoint {@code c} into new, fully resident trees. */
    public static Image loadImage(PageLog pageLog, CheckpointCompletion c, ReconcileOptions options) {
        return loadImage(pageLog, c, options, Long.MAX_VALUE, false);
    }

    /**
     * The bytes of pages a load keeps resident; pages past it are loaded as evicted (see {@code cache.md}).
     *
     * <p>Thread safety: confined to one load.
     */
    private static final class LoadBudget {
        private long left;

        LoadBudget(long bytes) {
            left = bytes;
        }

        /** Charges {@code b} if it still fits; false once the budget is spent. */
        boolean take(Block b) {
            if (left <= 0) {
                return false;
            }
            long n = 0;
            for (ImageEntry e : b.content()) {
                n += e.key().length
                        + 48
                        + 40
                        + (e.versions().isEmpty() ? 0 : e.versions().size() * 24L);
                for (StoredVersion v : e.versions()) {
                    byte[] value = v.value();
                    n += value == null ? 0 : value.length;
                }
            }
            left -= n;
            return left > 0;
        }
    }

    /**
     * Loads every table of checkpoint {@code c} into new trees. With {@code lazy}, a page the catalogue root
     * locates (format version 2: chain position, key count, low key) becomes a stub without being read, so
     * the load reads only the catalogue root. Other pages (a version 1 root, or not {@code lazy}) are read and
     * checked; once the pages read reach {@code residentBytes}, further ones are loaded as evicted (their
     * content is read, checked and dropped), so open stays near the cache budget.
     */
    public static Image loadImage(
            PageLog pageLog, CheckpointCompletion c, ReconcileOptions options, long residentBytes, boolean lazy) {
        LoadBudget budget = new LoadBudget(residentBytes);
        CheckpointMeta meta = CheckpointMeta.decode(c.metadata(), "the completion at LSN " + c.lsn());
        PageLogHandle ch = pageLog.openHandle(CatalogRoot.TABLE_ID);
        List<PageRecord> rootChain = ch.get(CatalogRoot.PAGE_ID, c.lsn());
        if (rootChain.size() != 1 || rootChain.get(0).lsn() != meta.catalogLsn()) {
            throw new StrataException(
                    ErrorCode.CORRUPTION,
                    "the catalogue root of the checkpoint at LSN " + c.lsn() + " is not at LSN " + meta.catalogLsn());
        }
        byte[] rootBytes = rootChain.get(0).payload();
        if (CatalogRoot.crc(rootBytes, rootBytes.length) != meta.catalogCrc()) {
            throw new StrataException(
                    ErrorCode.CORRUPTION, "the catalogue root at LSN " + meta.catalogLsn() + " fails its checksum");
        }
        CatalogRoot root = CatalogRoot.decode(rootBytes, "at LSN " + meta.catalogLsn());
        Map<Long, TableReconciler> reconcilers = new HashMap<>();
        List<TableImage> tables = new ArrayList<>();
        SyncPacer pacer = new SyncPacer(pageLog);
        for (CatalogRoot.TableRoot t : root.tables()) {
            PageLogHandle h = pacer.wrap(pageLog.openHandle(t.id()));
            TableReconciler r = new TableReconciler(t.id(), h, options, t.nextPageId());
            List<LoadedPage> views = new ArrayList<>(t.pages().size());
            for (CatalogRoot.PageRef ref : t.pages()) {
                if (lazy && ref.located()) {
                    views.add(r.adoptLazy(new Block(
                            ref.pageId(),
                            ref.lastLsn(),
                            ref.baseLsn(),
                            ref.deltaCount(),
                            List.of(),
                            ref.keys(),
                            ref.lowKey())));
                    continue;
                }
                Block b = PageReader.read(h, ref.pageId(), c.lsn());
                if (budget.take(b) || b.content().isEmpty()) {
                    views.add(r.adoptResident(b, StoredSlots.of(b)));
                } else {
                    views.add(r.adoptEvicted(b)); // over the cache budget: keep a stub, drop the content
                }
            }
            BTree tree = new BTree();
            tree.load(views);
            tables.add(new TableImage(t.id(), SchemaCodec.decode(t.schema()), tree));
            reconcilers.put(t.id(), r);
        }
        LOG.info(
                "loaded checkpoint at ts {} (completion LSN {}): {} tables",
                meta.checkpointTs(),
                c.lsn(),
                root.tables().size());
        return new Image(new Loaded(c, meta, reconcilers, pacer), tables, root.nextTableId());
    }
}
