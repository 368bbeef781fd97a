package io.stratadb.engine.btree;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A copy-on-write B+tree of {@link Slot}s keyed by unsigned byte order, one per table.
 *
 * <p>Invariants: (1) the root reference always points at a complete tree, whose leaves are immutable; (2)
 * structural changes (new key, split, removal, merge) build new nodes from the changed leaf up to the lowest
 * internal node that gains or loses no child, and publish them there with one swap of that node's child (an
 * insert; see {@link InsertPath}) or with one root swap (everything else), under {@link #lock}; (3) a slot is in
 * at most one leaf of the published tree; (4) leaves hold at most {@link #maxNode} slots and internal nodes at
 * most {@code maxNode} children; a split leaves two halves, except an insert past the last key of a full leaf,
 * which keeps that leaf full and starts a new one (internal nodes do the same along the tree's right edge); a
 * node left under half full by a removal is merged with a sibling when both fit in one node, unless either is
 * evicted; (5) an evicted leaf is a {@link Stub} that any descent reaching it reads back ({@code
 * site/src/site/markdown/cache.md}): lock-free paths read the page without the lock and publish it under the
 * lock, locked paths read it under the lock; eviction covers each slot's head with a marker first, so writers
 * holding a slot look again.
 *
 * <p>Thread safety: thread-safe. Readers never lock: they read the root once and walk down, each child read once
 * (a complete version of it; see {@link Internal}). Writers of an existing key CAS its slot's chain head without
 * locking; writers that add or remove keys take {@link #lock}.
 */
public final class BTree {
    /** The default maximum entries per node. */
    public static final int DEFAULT_MAX_NODE = 64;

    private static final byte[] NO_KEY = new byte[0];

    private final int maxNode;
    private volatile Node root;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong residentBytes = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    @GuardedBy("lock")
    private int stubs;

    private volatile @Nullable Runnable pressure;
    private final DirtyLeaves dirty = new DirtyLeaves();

    @GuardedBy("lock")
    private final LeafClock clock = new LeafClock();

    /**
     * Set when the last clock step swept every resident leaf twice without freeing what it wanted (readers kept
     * setting the access bits faster than the hand cleared them): the next step ignores access bits. Used only
     * by the one thread that evicts at a time.
     */
    private boolean ignoreAccess;

    /** The meta a merge of the running removal kept (marked dirty again once the removal is published). */
    @GuardedBy("lock")
    private @Nullable PageMeta mergedMeta;

    @GuardedBy("lock")
    private int leaves = 1;

    public BTree() {
        this(DEFAULT_MAX_NODE);
    }

    /** A tree with at most {@code maxNode} entries per node (at least 4; small values force splits in tests). */
    public BTree(int maxNode) {
        if (maxNode < 4) {
            throw new IllegalArgumentException("maxNode < 4: " + maxNode);
        }
        this.maxNode = maxNode;
        Leaf first = new Leaf(new Slot[0], new PageMeta());
        first.meta.joinTree(dirty);
        clock.enter(first, NO_KEY, 1);
        this.root = first;
    }

    /** The tree's dirty set: leaves changed since a checkpoint last wrote them (see {@link DirtyLeaves}). */
    public DirtyLeaves dirtyLeaves() {
        return dirty;
    }

    /** The slot of {@code key}, or null. Lock-free (an evicted leaf on the way is read back first). */
    public @Nullable Slot find(byte[] key) {
        while (true) {
            Node n = root;
            while (n instanceof Internal in) {
                n = in.children[in.childIndex(key, false)];
            }
            if (n instanceof Leaf leaf) {
                leaf.touch();
                int i = leaf.search(key);
                return i >= 0 ? leaf.slot(i) : null;
            }
            faultIn((Stub) n);
        }
    }

    /** The slot of {@code key}, inserting an empty one if absent. */
    public Slot findOrInsert(byte[] key) {
        Slot s = find(key);
        if (s != null) {
            return s;
        }
        lock.lock();
        try {
            return insertLocked(key);
        } finally {
            lock.unlock();
        }
    }

    /** Number of keys. */
    public long size() {
        return keys.get();
    }

    /** Number of leaf pages. */
    public int leafCount() {
        lock.lock();
        try {
            return leaves;
        } finally {
            lock.unlock();
        }
    }

    /** Height of the tree (1 = a single leaf). */
    public int height() {
        int h = 1;
        for (Node n = root; n instanceof Internal in; n = in.children[0]) {
            h++;
        }
        return h;
    }

    /**
     * Visits every resident slot of the tree as of now, in key order. Evicted leaves are skipped: they hold only
     * versions that every present and future reader sees and that a completed checkpoint stored.
     */
    public void forEachSlot(Consumer<Slot> visitor) {
        visit(root, visitor);
    }

    private static void visit(Node n, Consumer<Slot> visitor) {
        if (n instanceof Leaf leaf) {
            for (int i = 0; i < leaf.size(); i++) {
                visitor.accept(leaf.slot(i));
            }
        } else if (n instanceof Internal in) {
            for (Node c : in.children) {
                visit(c, visitor);
            }
        }
    }

    /**
     * One leaf of a published tree: its shared page meta and its slots in key order.
     *
     * @param meta the leaf's page meta (shared by every copy-on-write version of the leaf)
     * @param slots its slots, in key order (an unmodifiable view); empty for an evicted leaf
     * @param evicted whether the leaf is evicted: unchanged since its page was last written
     * @param shape the meta's shape when this leaf version was built ({@link PageMeta#shape()}); 0 for a stub
     */
    public record LeafView(PageMeta meta, List<Slot> slots, boolean evicted, int shape) implements LoadedPage {
        /** A resident leaf (to load). */
        public LeafView(PageMeta meta, List<Slot> slots) {
            this(meta, slots, false, 0);
        }
    }

    /** Every leaf of the tree as of one root snapshot, in key order. Lock-free. */
    public List<LeafView> leaves() {
        List<LeafView> out = new ArrayList<>();
        collectLeaves(root, out);
        return out;
    }

    private static void collectLeaves(Node n, List<LeafView> out) {
        if (n instanceof Leaf leaf) {
            out.add(new LeafView(leaf.meta, leaf.slotList(), false, leaf.shape));
        } else if (n instanceof Internal in) {
            for (Node c : in.children) {
                collectLeaves(c, out);
            }
        } else {
            out.add(new LeafView(((Stub) n).meta, List.of(), true, 0));
        }
    }

    /**
     * Fills an empty tree with the given pages (recovery from a checkpoint): each non-empty view becomes one
     * leaf with its meta, each evicted page a stub; internal levels are built bottom-up. Fails with IllegalStateException if the tree
     * already holds keys (an engine bug, never a user error).
     */
    public void load(List<? extends LoadedPage> views) {
        lock.lock();
        try {
            if (keys.get() != 0) {
                throw new IllegalStateException("load into a non-empty tree");
            }
            List<Node> level = new ArrayList<>();
            long n = 0;
            long bytes = 0;
            int evicted = 0;
            for (LoadedPage p : views) {
                if (p instanceof EvictedPage e) {
                    e.meta().joinTree(dirty);
                    level.add(new Stub(e.meta(), e.store(), e.lsn(), e.keys(), e.routeKey()));
                    n += e.keys();
                    evicted++;
                    continue;
                }
                LeafView v = (LeafView) p;
                if (!v.slots().isEmpty()) {
                    Leaf leaf = new Leaf(v.slots().toArray(new Slot[0]), v.meta());
                    leaf.meta.joinTree(dirty);
                    clock.enter(leaf, leaf.slot(0).key(), views.size());
                    charge(leaf);
                    bytes += leaf.meta.bytes();
                    level.add(leaf);
                    n += v.slots().size();
                }
            }
            residentBytes.addAndGet(bytes);
            stubs = evicted;
            if (level.isEmpty()) {
                return;
            }
            int leafCount = level.size();
            root = InternalLevels.build(level, maxNode);
            leaves = leafCount;
            keys.set(n);
        } finally {
            lock.unlock();
        }
    }

    /** The published root (for {@link LeafPos#nextSibling}). */
    Node root() {
        return root;
    }

    /**
     * The leaf holding {@code key} (or, when {@code before}, the keys just below it) with its fences: every key
     * of the leaf is at or above {@code low} and below {@code high} (null = unbounded).
     */
    LeafPos descend(byte[] key, boolean before) {
        return walk(key, before, true);
    }

    /** The first leaf (when {@code first}) or the last one, with its fences. */
    LeafPos edge(boolean first) {
        return walk(null, false, first);
    }

    /** The leaf {@code key} selects (see {@link #descend}), or without a key the first or last leaf. */
    private LeafPos walk(byte @Nullable [] key, boolean before, boolean first) {
        while (true) {
            Node top = root;
            Node n = top;
            byte[] low = null;
            byte[] high = null;
            Internal parent = null;
            int index = 0;
            byte[] parentHigh = null;
            while (n instanceof Internal in) {
                int i = key != null ? in.childIndex(key, before) : first ? 0 : in.children.length - 1;
                parent = in;
                index = i;
                parentHigh = high;
                if (i > 0) {
                    low = in.seps[i - 1];
                }
                if (i < in.seps.length) {
                    high = in.seps[i];
                }
                n = in.children[i];
            }
            if (n instanceof Leaf leaf) {
                leaf.touch();
                return new LeafPos(leaf, low, high, top, parent, index, parentHigh);
            }
            faultIn((Stub) n);
        }
    }

    /**
     * Takes {@code slot} out of the tree if every update of its chain is aborted (a rolled-back insert). Writers
     * that meet the removed slot look the key up again. Returns whether it was removed.
     */
    public boolean removeIfAllAborted(Slot slot) {
        lock.lock();
        try {
            return removeLocked(slot);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Walks from the published root to the leaf that holds or would hold {@code key}, reading an evicted leaf
     * back (under the lock) first.
     */
    @GuardedBy("lock")
    private Descent descend(byte[] key) {
        while (true) {
            Descent d = descendNode(key);
            if (d.node instanceof Stub stub) {
                install(d, stub, stub.store.read(stub.meta.pageId(), stub.lsn));
            } else {
                return d;
            }
        }
    }

    /** Walks from the published root to the leaf or stub for {@code key}. */
    @GuardedBy("lock")
    private Descent descendNode(byte[] key) {
        Node n = root;
        Internal[] path = new Internal[4]; // four levels hold 16M keys of 64 per node; deeper trees grow these
        int[] idx = new int[4];
        int depth = 0;
        while (n instanceof Internal in) {
            int i = in.childIndex(key, false);
            if (depth == path.length) {
                path = java.util.Arrays.copyOf(path, depth * 2);
                idx = java.util.Arrays.copyOf(idx, depth * 2);
            }
            path[depth] = in;
            idx[depth++] = i;
            n = in.children[i];
        }
        return new Descent(path, idx, depth, n);
    }

    @GuardedBy("lock")
    private Slot insertLocked(byte[] key) {
        Descent down = descend(key);
        Internal[] path = down.path;
        int[] idx = down.idx;
        int depth = down.depth;
        Leaf leaf = (Leaf) down.node;
        int pos = leaf.search(key);
        if (pos >= 0) {
            return leaf.slot(pos);
        }
        int at = -pos - 1;
        Slot slot = new Slot(key);
        slot.heldBy(leaf.meta); // before publishing (a right half re-holds it)
        leaf.meta.markDirty();
        long slotBytes = (long) LeafBytes.SLOT_BYTES + key.length;
        residentBytes.addAndGet(slotBytes);
        Leaf grown = at == leaf.size() ? leaf.appended(slot) : null;
        if (grown != null) { // a key past the end of a leaf with room: no copy of its slots or heads
            leaf.meta.bytes(leaf.meta.bytes() + slotBytes);
            return published(leaf, InsertPath.rebuild(path, idx, depth, grown, null, NO_KEY, false, maxNode), slot);
        }
        Slot[] ns = leaf.insertedCopy(at, slot);
        Node replacement;
        Node right = null;
        byte[] sep = NO_KEY;
        // An insert past the last key of a full leaf (ascending keys: a sequence, a time, at the tree's end or
        // into a gap) splits off only the new key, so loads in key order leave full leaves behind instead of
        // half-full ones; the new leaf gets room for the keys that will follow. Internal nodes split that way
        // only along the tree's right edge.
        boolean atEnd = at == leaf.size();
        boolean append = atEnd && InsertPath.onRightEdge(path, idx, depth);
        KeyHeads kh = leaf.heads.inserted(at, key);
        if (kh == null) {
            kh = KeyHeads.ofSlots(ns);
        }
        if (ns.length > maxNode) {
            int mid = atEnd ? ns.length - 1 : ns.length / 2;
            Leaf l = Leaf.ofHeld(java.util.Arrays.copyOfRange(ns, 0, mid), leaf.meta, kh.range(0, mid));
            Leaf r = atEnd
                    ? Leaf.withRoom(ns, mid, ns.length, new PageMeta(), maxNode, kh.range(mid, ns.length))
                    : new Leaf(
                            java.util.Arrays.copyOfRange(ns, mid, ns.length), new PageMeta(), kh.range(mid, ns.length));
            long before = leaf.meta.bytes() + slotBytes;
            charge(r);
            l.meta.bytes(Math.max(0, before - r.meta.bytes()));
            l.meta.markDirty(); // it lost keys to the right half
            r.meta.joinTree(dirty); // a fresh meta is dirty: it joins the dirty set
            clock.enter(l, ns[0].key(), leaves - stubs);
            clock.enter(r, ns[mid].key(), leaves - stubs);
            replacement = l;
            right = r;
            sep = ns[mid].key();
            leaves++;
        } else {
            leaf.meta.bytes(leaf.meta.bytes() + slotBytes);
            replacement = Leaf.ofHeld(ns, leaf.meta, kh);
        }
        return published(leaf, InsertPath.rebuild(path, idx, depth, replacement, right, sep, append, maxNode), slot);
    }

    /** Finishes an insert of {@code slot} into {@code leaf} whose rebuild returned {@code top}. */
    @GuardedBy("lock")
    private Slot published(Leaf leaf, Node top, Slot slot) {
        if (top != root) {
            root = top;
        }
        leaf.meta.markDirty(); // after publishing: a checkpoint pass that cleaned it before sees the new shape
        keys.incrementAndGet();
        return slot;
    }

    /**
     * Takes {@code slot} out of the tree if its chain still starts at {@code expectedHead} and {@code
     * removable} holds for it (ingest pruning, on the single thread that applies the log). Returns whether it was
     * removed.
     */
    public boolean removeIf(Slot slot, @Nullable Update expectedHead, Predicate<Slot> removable) {
        lock.lock();
        try {
            if (slot.head() != expectedHead || !removable.test(slot)) {
                return false;
            }
            return removeLocked(slot, true);
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private boolean removeLocked(Slot slot) {
        return removeLocked(slot, false);
    }

    @GuardedBy("lock")
    private boolean removeLocked(Slot slot, boolean checked) {
        byte[] key = slot.key();
        Descent down = descend(key);
        Internal[] path = down.path;
        int[] idx = down.idx;
        int depth = down.depth;
        Leaf leaf = (Leaf) down.node;
        int pos = leaf.search(key);
        if (pos < 0 || leaf.slot(pos) != slot) {
            return false;
        }
        Update head = slot.head();
        if ((!checked && !slot.allAborted()) || !slot.casHead(head, Slot.REMOVED)) {
            return false;
        }
        Slot[] ns = leaf.removedCopy(pos);
        leaf.meta.markDirty();
        long freed = Math.min(leaf.meta.bytes(), LeafBytes.SLOT_BYTES + key.length);
        leaf.meta.bytes(leaf.meta.bytes() - freed);
        residentBytes.addAndGet(-freed);
        Node replacement = Leaf.ofHeld(ns, leaf.meta, leaf.heads.removed(pos));
        int min = maxNode / 2;
        for (int d = depth - 1; d >= 0; d--) {
            Internal p = path[d];
            int i = idx[d];
            Node[] children = p.children.clone();
            children[i] = replacement;
            byte[][] seps = p.seps;
            KeyHeads kh = p.heads;
            if (replacement.size() < min && children.length > 1) {
                int l = i > 0 ? i - 1 : i;
                Node a = children[l];
                Node b = children[l + 1];
                if (a.size() + b.size() <= maxNode && !(a instanceof Stub) && !(b instanceof Stub)) {
                    Node merged = merge(a, b, seps[l]);
                    Node[] nc = new Node[children.length - 1];
                    System.arraycopy(children, 0, nc, 0, l);
                    nc[l] = merged;
                    System.arraycopy(children, l + 2, nc, l + 1, children.length - l - 2);
                    children = nc;
                    seps = Internal.removeAt(seps, l);
                    kh = kh.removed(l);
                }
            }
            replacement = new Internal(seps, children, kh);
        }
        while (replacement instanceof Internal in && in.children.length == 1) {
            replacement = in.children[0];
        }
        root = replacement;
        leaf.meta.markDirty(); // after publishing, as for inserts
        PageMeta mm = mergedMeta;
        if (mm != null) {
            mm.markDirty();
            mergedMeta = null;
        }
        keys.decrementAndGet();
        return true;
    }

    @GuardedBy("lock")
    private Node merge(Node a, Node b, byte[] sep) {
        if (a instanceof Leaf la) {
            Leaf lb = (Leaf) b;
            Slot[] s = new Slot[la.size() + lb.size()];
            System.arraycopy(la.slotArray(), 0, s, 0, la.size());
            System.arraycopy(lb.slotArray(), 0, s, la.size(), lb.size());
            leaves--;
            la.meta.markDirty();
            la.meta.bytes(la.meta.bytes() + lb.meta.bytes());
            Leaf merged = new Leaf(s, la.meta); // lb's page id is discarded by the next checkpoint (reconcile)
            lb.meta.clockStamp++; // its clock entry is stale now
            mergedMeta = la.meta;
            clock.enter(merged, s.length > 0 ? s[0].key() : NO_KEY, leaves - stubs);
            return merged;
        }
        Internal ia = (Internal) a;
        Internal ib = (Internal) b;
        byte[][] seps = new byte[ia.seps.length + ib.seps.length + 1][];
        System.arraycopy(ia.seps, 0, seps, 0, ia.seps.length);
        seps[ia.seps.length] = sep;
        System.arraycopy(ib.seps, 0, seps, ia.seps.length + 1, ib.seps.length);
        Node[] children = new Node[ia.children.length + ib.children.length];
        System.arraycopy(ia.children, 0, children, 0, ia.children.length);
        System.arraycopy(ib.children, 0, children, ia.children.length, ib.children.length);
        return new Internal(seps, children);
    }

    // ---------------------------------------------------------------- cache: fault-in, eviction, accounting

    /** Estimated bytes of the resident leaves (keys, values, per-slot and per-update overhead). */
    public long residentBytes() {
        return residentBytes.get();
    }

    /** Leaves evicted since the tree was created. */
    public long evictions() {
        return evictions.get();
    }

    /** Evicted leaves read back from the page log since the tree was created. */
    public long reads() {
        return reads.get();
    }

    /** Number of leaves in memory (leaves minus evicted ones). */
    public int residentLeafCount() {
        lock.lock();
        try {
            return leaves - stubs;
        } finally {
            lock.unlock();
        }
    }

    /** Number of evicted leaves. */
    public int evictedLeafCount() {
        lock.lock();
        try {
            return stubs;
        } finally {
            lock.unlock();
        }
    }

    /** Reads every evicted leaf back (the tree is about to be used where eviction does not run). */
    public void faultInAll() {
        while (true) {
            Stub stub = firstStub(root);
            if (stub == null) {
                return;
            }
            faultIn(stub);
        }
    }

    private static @Nullable Stub firstStub(Node n) {
        if (n instanceof Stub s) {
            return s;
        }
        if (n instanceof Internal in) {
            for (Node c : in.children) {
                Stub s = firstStub(c);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    /**
     * Reads an evicted leaf back without holding the lock, then publishes it unless another thread did first.
     * The caller descends again from the new root.
     */
    private void faultIn(Stub stub) {
        List<Slot> slots = stub.store.read(stub.meta.pageId(), stub.lsn);
        lock.lock();
        try {
            Descent d = descendNode(stub.routeKey);
            if (d.node == stub) {
                install(d, stub, slots);
            }
        } finally {
            lock.unlock();
        }
        Runnable p = pressure;
        if (p != null) {
            p.run(); // the cache may evict synchronously here, on the reader's thread, holding no lock
        }
    }

    /**
     * Installs the hook run after each lock-free read-back (the cache's synchronous eviction when far over its
     * budget); it runs holding no lock of this tree.
     */
    public void onReadBack(Runnable hook) {
        if (pressure != hook) {
            pressure = hook;
        }
    }

    /** Replaces {@code stub}, reached by {@code d}, with a leaf of {@code slots} under the stub's meta. */
    @GuardedBy("lock")
    private void install(Descent d, Stub stub, List<Slot> slots) {
        Leaf leaf = new Leaf(slots.toArray(new Slot[0]), stub.meta);
        charge(leaf);
        residentBytes.addAndGet(leaf.meta.bytes());
        publish(d, leaf);
        keys.addAndGet(slots.size() - stub.keys);
        stubs--;
        clock.enter(leaf, stub.routeKey, leaves - stubs);
        reads.incrementAndGet();
    }

    /** Publishes {@code replacement} in place of the node {@code d} reached (copy-on-write of the path). */
    @GuardedBy("lock")
    private void publish(Descent d, Node replacement) {
        Node n = replacement;
        for (int i = d.depth - 1; i >= 0; i--) {
            Internal p = d.path[i];
            Node[] children = p.children.clone();
            children[d.idx[i]] = n;
            n = new Internal(p.seps, children, p.heads);
        }
        root = n;
    }

    /** Sets the leaf's charged bytes to its measure (the caller adds it to the total). */
    private static void charge(Leaf leaf) {
        leaf.meta.bytes(LeafBytes.measure(leaf));
    }

    /**
     * One step of the clock: visits resident leaves from the clock's hand; a leaf whose access bit is set has it
     * cleared and is passed over, any other is evicted if {@code check} approves. Stops once {@code want} bytes
     * were freed or every leaf was passed twice. Leaves passed are re-measured. Returns the bytes freed. Call
     * from one thread at a time.
     */
    public long evictSome(long want, EvictionCheck check) {
        long freed = 0;
        int n;
        lock.lock();
        try {
            n = clock.size();
        } finally {
            lock.unlock();
        }
        boolean ignore = ignoreAccess;
        int k = 0;
        for (; k < 2 * n && freed < want; k++) {
            lock.lock();
            try {
                LeafClock.Entry e = clock.next();
                if (e == null) {
                    break;
                }
                Descent d = current(e);
                if (d == null) {
                    continue; // evicted, merged away or split (the halves have their own entries)
                }
                Leaf leaf = (Leaf) d.node;
                long f = 0;
                if (leaf.hot && !ignore) {
                    leaf.hot = false;
                    remeasureLocked(leaf);
                } else if (leaf.size() > 0) {
                    leaf.hot = false;
                    f = evictLocked(d, check);
                }
                if (f == 0) {
                    clock.putBack(e);
                }
                freed += f;
            } finally {
                lock.unlock();
            }
        }
        ignoreAccess = freed < want && k >= 2 * n;
        return freed;
    }

    /** Re-measures up to {@code max} resident leaves from the clock's hand (values written in place since). */
    public void remeasure(int max) {
        for (int k = 0; k < max; k++) {
            lock.lock();
            try {
                LeafClock.Entry e = clock.next();
                if (e == null) {
                    return;
                }
                Descent d = current(e);
                if (d != null) {
                    remeasureLocked((Leaf) d.node);
                    clock.putBack(e);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The descent to the published leaf of a live clock entry, or null when that leaf is no longer resident. */
    @GuardedBy("lock")
    private @Nullable Descent current(LeafClock.Entry e) {
        Descent d = descendNode(e.routeKey());
        return d.node instanceof Leaf leaf && leaf.meta == e.meta() ? d : null;
    }

    @GuardedBy("lock")
    private void remeasureLocked(Leaf leaf) {
        long now = LeafBytes.measure(leaf);
        residentBytes.addAndGet(now - leaf.meta.bytes());
        leaf.meta.bytes(now);
    }

    /**
     * Evicts the published leaf {@code d} reached if {@code check} approves: every head is covered by an
     * eviction marker (so writers that already hold a slot look the key up again), then a stub is published in
     * the leaf's place. Readers that hold the old leaf keep reading it: markers are invisible to them. Returns
     * the bytes freed (0 when nothing was evicted).
     */
    @GuardedBy("lock")
    private long evictLocked(Descent d, EvictionCheck check) {
        Leaf leaf = (Leaf) d.node;
        Slot[] slots = leaf.slotArray();
        Update[] heads = new Update[slots.length];
        for (int i = 0; i < slots.length; i++) {
            heads[i] = slots[i].head();
            if (Slot.gone(heads[i])) {
                return 0;
            }
        }
        EvictionCheck.Clean c = check.clean(leaf.meta, slots, heads);
        if (c == null) {
            return 0;
        }
        Update[] markers = new Update[slots.length];
        for (int i = 0; i < slots.length; i++) {
            markers[i] = new Update(UpdateOwner.EVICTED, null, heads[i]);
            if (!slots[i].mark(heads[i], markers[i])) {
                for (int j = 0; j < i; j++) {
                    slots[j].unmark(markers[j], heads[j]); // a writer got in first: give up this leaf
                }
                return 0;
            }
        }
        publish(d, new Stub(leaf.meta, c.store(), c.lsn(), c.keys(), slots[0].key()));
        leaf.meta.clean(); // the page log holds exactly this leaf
        long freed = leaf.meta.bytes();
        leaf.meta.bytes(0);
        residentBytes.addAndGet(-freed);
        keys.addAndGet(c.keys() - slots.length);
        stubs++;
        evictions.incrementAndGet();
        check.evicted(leaf.meta);
        return Math.max(freed, 1);
    }
}
