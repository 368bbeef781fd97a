package io.stratadb.engine.reconcile;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PutArgs;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.DirtyLeaves;
import io.stratadb.engine.btree.EvictedPage;
import io.stratadb.engine.btree.EvictionCheck;
import io.stratadb.engine.btree.PageMeta;
import io.stratadb.engine.btree.PageStore;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The reconciler of one table: writes each changed leaf as a full image or a delta and owns the table's page-id
 * lifecycle (seed 000).
 *
 * <p>Each in-memory leaf (identified by its {@link PageMeta}) maps to the blocks last written for it. A pass
 * ({@link #reconcile}) computes every leaf's precise image, compares it with what the leaf's blocks hold, and:
 *
 * <ul>
 *   <li>unchanged: writes nothing;
 *   <li>one block before and one now: a delta (changes since the previous write) when fewer than {@code
 *       maxDeltas} deltas sit on the full image and the delta is at most {@code deltaPct}% of the full image,
 *       else a full image whose backlink is the previous full image;
 *   <li>otherwise (new leaf, several blocks before or now, or an empty image): every old block is discarded,
 *       the meta's id is invalidated, and each new block gets a fresh id whose full image has backlink 0.
 * </ul>
 *
 * Leaves that left the tree (merged away, or the whole table rewritten) have their blocks discarded.
 *
 * <p>Invariants: (1) page ids come from a per-table counter starting at {@link PageLogHandle#MIN_PAGE_ID}
 * that never goes backwards (it is persisted in the catalogue root and raised past every loaded id); (2) a
 * discarded id is never written again; (3) a pass is staged: its state becomes current only through {@link
 * #commit} after the checkpoint completed; after a failed pass the caller abandons the page log's records above
 * the last completion and calls {@link #rollback}, which keeps the counter (ids are never reused).
 *
 * <p>Evicted leaves (see {@code cache.md}) keep their blocks' chain positions but not their content (the set
 * {@code hollow}); a pass carries an evicted leaf's blocks over unchanged and reads a hollow block's content
 * back from the page log when its leaf, read back and changed, must be compared with it.
 *
 * <p>Thread safety: externally synchronized by the checkpoint lock; it reads the tree lock-free. {@link
 * #read} alone is thread-safe (it only reads the page log).
 */
public final class TableReconciler implements PageStore {
    private final long tableId;
    private final PageLogHandle handle;
    private final ReconcileOptions options;
    private IdentityHashMap<PageMeta, List<Block>> current = new IdentityHashMap<>();
    private long nextPageId;
    private @Nullable IdentityHashMap<PageMeta, List<Block>> staged;
    private Set<PageMeta> hollow = Collections.newSetFromMap(new IdentityHashMap<>());
    private @Nullable Set<PageMeta> stagedHollow;
    private final ReconcileStats stats = new ReconcileStats();
    private volatile @Nullable BooleanSupplier reclaimed;

    /**
     * The leader's rule "every present and future reader sees this version" (set by its eviction check), used to
     * fold pages read back; null on a follower (its stable trees are never folded).
     */
    private volatile @Nullable Predicate<UpdateOwner> foldRule;

    /** The blocks of the last completed pass in key order (null before the first, or after a load). */
    private @Nullable List<Block> currentOrder;

    private @Nullable List<Block> stagedOrder;
    private List<PageMeta> stagedCleaned = List.of();

    /** The tree the last pass walked (a step-up or resync may hand the reconciler another one). */
    private @Nullable BTree currentTree;

    public TableReconciler(long tableId, PageLogHandle handle, ReconcileOptions options, long nextPageId) {
        this.tableId = tableId;
        this.handle = handle;
        this.options = options;
        this.nextPageId = Math.max(nextPageId, PageLogHandle.MIN_PAGE_ID);
    }

    public long tableId() {
        return tableId;
    }

    /** The next page id this table allocates. */
    public long nextPageId() {
        return nextPageId;
    }

    /** Counters of what passes wrote. */
    public ReconcileStats stats() {
        return stats;
    }

    /**
     * Registers loaded blocks (recovery): each becomes its own leaf. Returns the leaves to load into the tree.
     */
    public List<BTree.LeafView> adopt(List<Block> blocks, List<List<Slot>> slots) {
        List<BTree.LeafView> views = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            views.add(new BTree.LeafView(register(b, b), slots.get(i)));
        }
        return views;
    }

    /** Registers one loaded block as a resident leaf with {@code slots}. */
    public BTree.LeafView adoptResident(Block b, List<Slot> slots) {
        return new BTree.LeafView(register(b, b), slots);
    }

    /**
     * Registers one loaded, non-empty block as an evicted leaf (recovery under a cache budget): only its chain
     * position is kept; the tree gets a stub that reads it back on first access.
     */
    public EvictedPage adoptEvicted(Block b) {
        return adoptLazy(b.hollow());
    }

    /**
     * Registers a page known only by its chain position, key count and low key (a version 2 catalogue root):
     * the tree gets a stub that reads it back on first access, and nothing is read now.
     */
    public EvictedPage adoptLazy(Block hollowBlock) {
        if (hollowBlock.keys() < 1) {
            throw new IllegalStateException("lazy page " + hollowBlock.pageId() + " of table " + tableId + " is empty");
        }
        PageMeta meta = register(hollowBlock, hollowBlock);
        hollow.add(meta);
        return new EvictedPage(meta, this, hollowBlock.lastLsn(), hollowBlock.keys(), hollowBlock.lowKey());
    }

    private PageMeta register(Block b, Block kept) {
        PageMeta meta = new PageMeta();
        meta.restore(b.pageId(), b.lastLsn(), b.baseLsn(), b.deltaCount());
        meta.clean(); // it holds exactly its block
        current.put(meta, List.of(kept));
        nextPageId = Math.max(nextPageId, b.pageId() + 1);
        return meta;
    }

    /**
     * Writes every changed leaf of {@code tree} for a checkpoint at {@code ckptTs}, with oldest timestamp {@code
     * oldestTs}, whose consistent point is commit sequence {@code pointSeq}; returns the table's blocks in key
     * order (hollow ones without content). Staged until {@link #commit}.
     */
    public List<Block> reconcile(BTree tree, long ckptTs, long oldestTs, long pointSeq) {
        DirtyLeaves dirty = tree.dirtyLeaves();
        List<Block> last = currentOrder;
        if (dirty.isEmpty() && last != null && currentTree == tree) {
            // no leaf changed since the last completed pass: everything carries over, nothing is walked
            staged = new IdentityHashMap<>(current);
            Set<PageMeta> h = Collections.newSetFromMap(new IdentityHashMap<>());
            h.addAll(hollow);
            stagedHollow = h;
            stagedOrder = last;
            stagedCleaned = List.of();
            stats.skippedTables.incrementAndGet();
            return last;
        }
        dirty.clear(); // before the snapshot: a leaf changed from here on adds itself again
        IdentityHashMap<PageMeta, List<Block>> next = new IdentityHashMap<>();
        List<Block> order = new ArrayList<>();
        List<PageMeta> cleaned = new ArrayList<>();
        Set<PageMeta> nextHollow = Collections.newSetFromMap(new IdentityHashMap<>());
        for (BTree.LeafView leaf : tree.leaves()) {
            PageMeta meta = leaf.meta();
            List<Block> prev = current.get(meta);
            if (leaf.evicted() || (prev != null && !meta.dirty())) {
                // evicted, or unchanged since its blocks were written: they carry over as they are
                if (prev == null) {
                    throw new IllegalStateException("evicted leaf without blocks in table " + tableId);
                }
                next.put(meta, prev);
                if (hollow.contains(meta)) {
                    nextHollow.add(meta);
                }
                order.addAll(prev);
                dirty.keep(meta);
                continue;
            }
            meta.clean(); // before reading its chains: a write from here on marks it dirty again
            cleaned.add(meta);
            if (prev != null && hollow.contains(meta)) {
                prev = List.of(reload(prev.get(0)));
            }
            List<ImageEntry> entries = new ArrayList<>(leaf.slots().size());
            boolean again = false; // something this pass leaves for a later one
            for (Slot s : leaf.slots()) {
                ImageEntry e = PreciseSelector.select(s, ckptTs, oldestTs, pointSeq);
                if (e != null) {
                    entries.add(e);
                    again |= e.versions().size() > 1; // history a later oldest timestamp may trim
                }
                again |= PreciseSelector.pending(s, ckptTs, pointSeq);
            }
            stats.leavesReconciled.incrementAndGet();
            List<Block> blocks = writeLeaf(prev, entries);
            next.put(meta, blocks);
            order.addAll(blocks);
            if (again || meta.shape() != leaf.shape()) {
                meta.markDirty(); // pending versions, or the leaf changed shape after the snapshot
            }
            dirty.keep(meta);
        }
        for (Map.Entry<PageMeta, List<Block>> gone : current.entrySet()) {
            if (!next.containsKey(gone.getKey())) {
                discardAll(gone.getValue());
            }
        }
        staged = next;
        stagedHollow = nextHollow;
        stagedOrder = order;
        stagedCleaned = cleaned;
        currentTree = tree;
        return order;
    }

    /** Discards every block of the table (it was dropped); staged like a pass. */
    public void discardTable() {
        for (List<Block> blocks : current.values()) {
            discardAll(blocks);
        }
        staged = new IdentityHashMap<>();
        stagedHollow = Collections.newSetFromMap(new IdentityHashMap<>());
        stagedOrder = List.of();
        stagedCleaned = List.of();
    }

    /** Makes the staged pass current (its checkpoint completed) and updates the leaves' metas. */
    public void commit() {
        IdentityHashMap<PageMeta, List<Block>> s = staged;
        if (s == null) {
            return;
        }
        for (Map.Entry<PageMeta, List<Block>> e : s.entrySet()) {
            List<Block> blocks = e.getValue();
            if (blocks.size() == 1) {
                Block b = blocks.get(0);
                e.getKey().restore(b.pageId(), b.lastLsn(), b.baseLsn(), b.deltaCount());
            } else {
                e.getKey().invalidate();
            }
        }
        current = s;
        staged = null;
        Set<PageMeta> h = stagedHollow;
        hollow = h != null ? h : Collections.newSetFromMap(new IdentityHashMap<>());
        stagedHollow = null;
        currentOrder = stagedOrder;
        stagedOrder = null;
        stagedCleaned = List.of();
    }

    /**
     * Forgets the staged pass (its checkpoint failed and its records were abandoned); the leaves it cleaned are
     * dirty again.
     */
    public void rollback() {
        staged = null;
        stagedHollow = null;
        stagedOrder = null;
        for (PageMeta m : stagedCleaned) {
            m.markDirty();
        }
        stagedCleaned = List.of();
    }

    /**
     * The slots of page {@code pageId} as written at {@code lsn} (an evicted leaf read back). Thread-safe. A read
     * that fails while {@link #readsMayBeReclaimed} reports the checkpoint reclaimed fails with the retryable
     * TRANSACTION_ROLLED_BACK instead of CORRUPTION.
     */
    @Override
    public List<Slot> read(long pageId, long lsn) {
        try {
            return StoredSlots.of(PageReader.read(handle, pageId, lsn), foldRule);
        } catch (StrataException e) {
            BooleanSupplier gone = reclaimed;
            if (gone != null && gone.getAsBoolean()) {
                throw new StrataException(
                        ErrorCode.TRANSACTION_ROLLED_BACK,
                        "page " + pageId + " of table " + tableId + " at LSN " + lsn + " was reclaimed by the leader"
                                + " (the snapshot reads a checkpoint the page log no longer retains); retry",
                        e);
            }
            throw e;
        }
    }

    /**
     * Declares that reads of this table's pages may fail because the leader reclaimed the checkpoint they
     * belong to (a follower's stable tree): {@code reclaimed} tells whether it did.
     */
    public void readsMayBeReclaimed(BooleanSupplier reclaimed) {
        this.reclaimed = reclaimed;
    }

    /**
     * The eviction rule of a follower's stable tree: its leaves are never written while it serves as a stable
     * tree, so a leaf loaded from exactly one block, whose slots are still the loaded ones (each head committed
     * at sequence 0, one slot per stored key), reads back as exactly that leaf. Call from the one thread that
     * evicts, before the tree is written again (step-up stops that thread first).
     */
    public EvictionCheck stableEvictionCheck() {
        foldRule = null;
        return new EvictionCheck() {
            @Override
            public EvictionCheck.@Nullable Clean clean(PageMeta meta, Slot[] slots, @Nullable Update[] heads) {
                List<Block> blocks = current.get(meta);
                if (staged != null || blocks == null || blocks.size() != 1 || slots.length == 0) {
                    return null;
                }
                Block b = blocks.get(0);
                if (meta.pageId() != b.pageId() || slots.length != b.keys()) {
                    return null;
                }
                for (Update h : heads) {
                    if (h == null || h.isAborted() || h.owner().commitSeq() != 0) {
                        return null;
                    }
                }
                return new EvictionCheck.Clean(TableReconciler.this, b.lastLsn(), b.keys());
            }

            @Override
            public void evicted(PageMeta meta) {
                hollowOut(meta);
            }
        };
    }

    private void hollowOut(PageMeta meta) {
        List<Block> blocks = current.get(meta);
        if (blocks != null && blocks.size() == 1) {
            current.put(meta, List.of(blocks.get(0).hollow())); // the content is in the page log
            hollow.add(meta);
        }
    }

    /** Reads back the content of a block whose content was dropped when its leaf was evicted. */
    private Block reload(Block b) {
        return PageReader.read(handle, b.pageId(), b.lastLsn());
    }

    /**
     * From now on, pages read back (evicted leaves, and the pages a lazy open left on disk) have each key's newest
     * version that {@code visibleToAll} accepts (a leader's horizon rule) folded into its slot.
     */
    public void foldReadBacks(Predicate<UpdateOwner> visibleToAll) {
        if (foldRule != visibleToAll) {
            foldRule = visibleToAll;
        }
    }

    /**
     * The eviction rule of this table (see {@code site/src/site/markdown/cache.md}): a leaf may go when it maps
     * to exactly one block of the last completed checkpoint and, for each slot, the first update that is not
     * aborted is committed and seen by every present and future reader ({@code visibleToAll}) and is exactly
     * the single version the block stores for the key (a tombstone or no update: the block lacks the key). So
     * reading the block back gives every reader what the leaf gives, and no history is lost. Call under the
     * checkpoint lock, with no pass staged. From then on, pages read back are folded by {@code visibleToAll}
     * ({@link StoredSlots#of(Block, Predicate)}).
     */
    public EvictionCheck evictionCheck(Predicate<UpdateOwner> visibleToAll) {
        foldReadBacks(visibleToAll); // the leaves this check lets go are folded when read back
        return new EvictionCheck() {
            @Override
            public EvictionCheck.@Nullable Clean clean(PageMeta meta, Slot[] slots, @Nullable Update[] heads) {
                return cleanLeaf(meta, slots, heads, visibleToAll);
            }

            @Override
            public void evicted(PageMeta meta) {
                hollowOut(meta);
            }
        };
    }

    private EvictionCheck.@Nullable Clean cleanLeaf(
            PageMeta meta, Slot[] slots, @Nullable Update[] heads, Predicate<UpdateOwner> visibleToAll) {
        List<Block> blocks = current.get(meta);
        if (staged != null || blocks == null || blocks.size() != 1) {
            return null;
        }
        Block b = blocks.get(0);
        if (meta.pageId() != b.pageId()) {
            return null;
        }
        if (hollow.contains(meta)) {
            b = reload(b);
            current.put(meta, List.of(b));
            hollow.remove(meta);
        }
        List<ImageEntry> content = b.content();
        int j = 0;
        for (int i = 0; i < slots.length; i++) {
            Update u = heads[i];
            while (u != null && u.isAborted()) {
                u = u.next();
            }
            byte[] value;
            long commitTs;
            long durableTs;
            if (u == null) {
                synchronized (slots[i]) { // the folded version: visible to every reader by construction
                    value = slots[i].base();
                    commitTs = slots[i].baseTs();
                }
                if (value == Slot.TOMBSTONE) {
                    value = null;
                }
                durableTs = commitTs;
            } else {
                UpdateOwner o = u.owner();
                if (!visibleToAll.test(o)) {
                    return null;
                }
                value = u.value();
                commitTs = o.commitTs();
                durableTs = o.durableTs();
            }
            if (value == null) {
                continue;
            }
            if (j >= content.size()) {
                return null;
            }
            ImageEntry e = content.get(j++);
            if (!Arrays.equals(e.key(), slots[i].key()) || e.versions().size() != 1) {
                return null;
            }
            StoredVersion v = e.newest();
            if (v.commitTs() != commitTs || v.durableTs() != durableTs || !Arrays.equals(v.value(), value)) {
                return null;
            }
        }
        return j == content.size() && j > 0 ? new EvictionCheck.Clean(this, b.lastLsn(), j) : null;
    }

    private List<Block> writeLeaf(@Nullable List<Block> prev, List<ImageEntry> entries) {
        if (prev != null && sameContent(prev, entries)) {
            return prev;
        }
        List<List<ImageEntry>> parts = split(entries);
        if (prev != null && prev.size() == 1 && parts.size() == 1) {
            Block b = prev.get(0);
            List<ImageEntry> diff = diff(b.content(), entries);
            if (b.deltaCount() < options.maxDeltas()
                    && (long) size(diff) * 100 <= (long) options.deltaPct() * size(entries)) {
                long lsn = handle.put(
                        b.pageId(), PutArgs.delta(b.lastLsn(), b.baseLsn()), PageImageCodec.encode(true, diff));
                stats.deltas.incrementAndGet();
                return List.of(new Block(b.pageId(), lsn, b.baseLsn(), b.deltaCount() + 1, entries));
            }
            long lsn = handle.put(b.pageId(), PutArgs.full(b.baseLsn()), PageImageCodec.encode(false, entries));
            stats.fullImages.incrementAndGet();
            return List.of(new Block(b.pageId(), lsn, lsn, 0, entries));
        }
        if (prev != null) {
            discardAll(prev);
        }
        List<Block> out = new ArrayList<>(parts.size());
        for (List<ImageEntry> part : parts) {
            long id = nextPageId++;
            long lsn = handle.put(id, PutArgs.full(0), PageImageCodec.encode(false, part));
            stats.fullImages.incrementAndGet();
            out.add(new Block(id, lsn, lsn, 0, part));
        }
        return out;
    }

    private void discardAll(List<Block> blocks) {
        for (Block b : blocks) {
            handle.discard(b.pageId(), b.lastLsn(), b.baseLsn());
            stats.discards.incrementAndGet();
        }
    }

    private List<List<ImageEntry>> split(List<ImageEntry> entries) {
        List<List<ImageEntry>> parts = new ArrayList<>();
        int from = 0;
        int bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            int sz = entries.get(i).encodedSize();
            if (i > from && bytes + sz > options.maxBlockBytes()) {
                parts.add(entries.subList(from, i));
                from = i;
                bytes = 0;
            }
            bytes += sz;
        }
        if (from < entries.size()) {
            parts.add(entries.subList(from, entries.size()));
        }
        return parts;
    }

    private static boolean sameContent(List<Block> prev, List<ImageEntry> entries) {
        int i = 0;
        for (Block b : prev) {
            for (ImageEntry e : b.content()) {
                if (i >= entries.size() || !e.sameVersion(entries.get(i))) {
                    return false;
                }
                i++;
            }
        }
        return i == entries.size();
    }

    /** The changes turning {@code old} into {@code now}: new or changed versions, and removals. */
    static List<ImageEntry> diff(List<ImageEntry> old, List<ImageEntry> now) {
        List<ImageEntry> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < old.size() || j < now.size()) {
            int c = i >= old.size()
                    ? 1
                    : j >= now.size()
                            ? -1
                            : java.util.Arrays.compareUnsigned(
                                    old.get(i).key(), now.get(j).key());
            if (c < 0) {
                out.add(ImageEntry.removal(old.get(i++).key()));
            } else if (c > 0) {
                out.add(now.get(j++));
            } else {
                ImageEntry n = now.get(j++);
                if (!old.get(i++).sameVersion(n)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Applies a delta's entries to a block's content (reading a chain). */
    public static List<ImageEntry> apply(List<ImageEntry> base, List<ImageEntry> delta) {
        List<ImageEntry> out = new ArrayList<>(base.size() + delta.size());
        int i = 0;
        int j = 0;
        while (i < base.size() || j < delta.size()) {
            int c = i >= base.size()
                    ? 1
                    : j >= delta.size()
                            ? -1
                            : java.util.Arrays.compareUnsigned(
                                    base.get(i).key(), delta.get(j).key());
            if (c < 0) {
                out.add(base.get(i++));
            } else {
                ImageEntry d = delta.get(j++);
                if (c == 0) {
                    i++;
                }
                if (!d.removed()) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static int size(List<ImageEntry> entries) {
        int n = 8;
        for (ImageEntry e : entries) {
            n += e.encodedSize();
        }
        return n;
    }
}
