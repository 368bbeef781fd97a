package io.stratadb.engine.btree;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One key of a tree: the head of its update chain and, below the chain, its <em>folded</em> version; leaf copies
 * share their slots, so a chain update needs no page copy.
 *
 * <p>The folded version ({@link #base()}) is the key's newest version that every present and future reader sees,
 * kept as a plain value (or {@link #TOMBSTONE}) with its commit timestamp, with no {@link Update} or {@link
 * UpdateOwner} (see {@code site/src/site/markdown/btree.md}, "Folded versions"). A reader walks the chain; if no
 * update of it is visible, the folded version decides; if there is none, the key is absent.
 *
 * <p>Invariants: (1) {@code key} never changes; (2) the head only moves by CAS: to a new update whose {@code
 * next} is the old head, or (under the tree lock) to {@link #REMOVED} when the key is deleted from the tree, or
 * (under this slot's monitor, by {@link #fold}) from a folded update to null; (3) once REMOVED, the head never
 * changes again and writers must look the key up anew; (4) an eviction marker (owner {@link UpdateOwner#EVICTED})
 * is only put at the head under the tree lock, and only removed again (under that lock) if the eviction is given
 * up; writers treat it like REMOVED ({@link #gone}); (5) the folded version is older than every update of the
 * chain, committed with commit timestamp = durable timestamp = {@code baseTs}, and visible to every reader the
 * engine can still admit; it only changes under this slot's monitor, to a newer version, and is written before
 * the update it came from leaves the chain, so a reader that reads the head and then the base never misses it.
 *
 * <p>Thread safety: thread-safe (lock-free CAS on the head; folds serialize on this slot's monitor; readers of
 * the base value take no lock, readers of the pair (value, timestamp) take the monitor).
 */
public final class Slot {
    /** The folded version of a key whose newest globally visible version is a tombstone (compared by identity). */
    @SuppressWarnings("MutablePublicArray") // an identity sentinel, never read or written as content
    public static final byte[] TOMBSTONE = new byte[0];

    /** The head of a slot taken out of its tree. */
    public static final Update REMOVED = new Update(UpdateOwner.GLOBAL, null, null);

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(Slot.class, "head", Update.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        REMOVED.abort();
    }

    private final byte[] key;

    /** The meta of the leaf holding this slot (set when a leaf is built over it), marked dirty on every write. */
    private volatile @Nullable PageMeta leaf;

    @SuppressWarnings("UnusedVariable") // accessed through the HEAD VarHandle too
    private volatile @Nullable Update head;

    /** The folded version: a value, {@link #TOMBSTONE}, or null when none (the chain is the whole history). */
    private volatile byte @Nullable [] base;

    @GuardedBy("this")
    private long baseTs;

    public Slot(byte[] key) {
        this.key = key;
    }

    /**
     * A slot read back with its folded version already in place ({@code value} null: a tombstone), committed at
     * {@code ts}; the caller guarantees the invariants of a folded version.
     */
    public static Slot folded(byte[] key, byte @Nullable [] value, long ts) {
        Slot s = new Slot(key);
        synchronized (s) {
            s.baseTs = ts;
            s.base = value == null ? TOMBSTONE : value;
        }
        return s;
    }

    @SuppressWarnings("mutable") // never mutated after construction
    public byte[] key() {
        return key;
    }

    public @Nullable Update head() {
        return head;
    }

    /**
     * Prepends {@code u} (whose next must be {@code expected}) if the head is still {@code expected}; a success
     * marks the slot's leaf dirty (after the CAS, so a checkpoint pass that cleans the leaf first sees it).
     */
    public boolean casHead(@Nullable Update expected, Update u) {
        if (!HEAD.compareAndSet(this, expected, u)) {
            return false;
        }
        PageMeta m = leaf;
        if (m != null) {
            m.markDirty();
        }
        return true;
    }

    /** Covers the head with an eviction marker (no change to the leaf's content: it stays clean). */
    boolean mark(@Nullable Update head, Update marker) {
        return HEAD.compareAndSet(this, head, marker);
    }

    /** Takes an eviction marker off again (the eviction was given up), restoring {@code head}. */
    void unmark(Update marker, @Nullable Update head) {
        HEAD.compareAndSet(this, marker, head);
    }

    /** Records the leaf that now holds this slot. */
    void heldBy(PageMeta meta) {
        if (leaf != meta) {
            leaf = meta;
        }
    }

    /**
     * The folded version: its value, {@link #TOMBSTONE}, or null when the key has none. Read it after the head
     * (see the invariants).
     */
    @SuppressWarnings("mutable") // never mutated; shared to keep reads allocation-free
    public byte @Nullable [] base() {
        return base;
    }

    /**
     * The commit (and durable) timestamp of the folded version; read it with {@link #base()} under this slot's
     * monitor ({@code synchronized (slot)}) for a consistent pair.
     */
    public synchronized long baseTs() {
        return baseTs;
    }

    /**
     * The folded version as a detached update (committed at sequence 0 with its timestamps), or null when there
     * is none: for the paths that compare versions by timestamp (layered reads, the ingest drain). Allocates.
     */
    public synchronized @Nullable Update baseVersion() {
        byte[] b = base;
        if (b == null) {
            return null;
        }
        return new Update(UpdateOwner.committed(0, 0, baseTs, baseTs), b == TOMBSTONE ? null : b, null);
    }

    /**
     * Folds {@code u}, a committed update of this slot's chain that every present and future reader sees, with
     * commit and durable timestamp {@code ts}: it becomes the folded version, and it and every older update leave
     * the chain. Returns false (nothing changes) when {@code u} is no longer in the chain (folded or pruned
     * already) or the slot is gone (removed, or being evicted).
     */
    public boolean fold(Update u, long ts) {
        byte[] v = u.value();
        synchronized (this) {
            while (true) {
                Update h = head;
                if (gone(h)) {
                    return false;
                }
                Update prev = null;
                Update x = h;
                while (x != null && x != u) {
                    prev = x;
                    x = x.next();
                }
                if (x == null) {
                    return false;
                }
                baseTs = ts;
                base = v == null ? TOMBSTONE : v; // before u leaves the chain: a reader falls through to it
                if (prev != null) {
                    prev.truncateBelow();
                    return true;
                }
                if (HEAD.compareAndSet(this, u, (Update) null)) {
                    return true;
                }
                // a writer prepended meanwhile (or an evictor marked the head): walk again
            }
        }
    }

    /**
     * Appends a globally visible tombstone at the tail of the chain that {@code from} belongs to (seed 004: a
     * rolled-back prepared insert, or rollback to stable leaving nothing), unless the slot has a folded version:
     * that one already lies below every update, so a tombstone at the chain's tail would wrongly hide it. Returns
     * whether it appended.
     */
    public synchronized boolean appendTombstoneBelow(Update from) {
        if (base != null) {
            return false;
        }
        from.appendAtTail(Update.globalTombstone()); // under the monitor: no fold moves the tail meanwhile
        return true;
    }

    /**
     * Drops the folded version if its timestamp is at or below {@code ts} (ingest pruning: a checkpoint at {@code
     * ts} holds it). Returns whether there is no folded version left.
     */
    public synchronized boolean dropBaseAtOrBelow(long ts) {
        if (base != null && baseTs <= ts) {
            base = null;
            baseTs = 0;
        }
        return base == null;
    }

    public boolean isRemoved() {
        return gone(head);
    }

    /**
     * Whether a writer that read {@code head} from a slot must look the key up again: the slot left the tree
     * ({@link #REMOVED}) or its leaf is being or was evicted (the head is an {@link UpdateOwner#EVICTED} marker;
     * readers skip the marker, which is aborted, and still see the versions below it).
     */
    public static boolean gone(@Nullable Update head) {
        return head == REMOVED || (head != null && head.owner() == UpdateOwner.EVICTED);
    }

    /**
     * Whether every update of the chain is aborted (or there is none) and there is no folded version: the key can
     * leave the tree.
     */
    public boolean allAborted() {
        for (Update u = head; u != null; u = u.next()) {
            if (!u.isAborted()) {
                return false;
            }
        }
        return base == null;
    }
}
