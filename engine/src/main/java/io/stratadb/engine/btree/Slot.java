package io.stratadb.engine.btree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One key of a tree and the head of its update chain; leaf copies share their slots, so a chain update needs
 * no page copy.
 *
 * <p>Invariants: (1) {@code key} never changes; (2) the head only moves by CAS: to a new update whose {@code
 * next} is the old head, or (under the tree lock) to {@link #REMOVED} when the key is deleted from the tree;
 * (3) once REMOVED, the head never changes again and writers must look the key up anew; (4) an eviction
 * marker (owner {@link UpdateOwner#EVICTED}) is only put at the head under the tree lock, and only removed
 * again (under that lock) if the eviction is given up; writers treat it like REMOVED ({@link #gone}).
 *
 * <p>Thread safety: thread-safe (lock-free CAS on the head).
 */
public final class Slot {
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

    public Slot(byte[] key) {
        this.key = key;
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

    /** Whether every update of the chain is aborted (or there is none): the key can leave the tree. */
    public boolean allAborted() {
        for (Update u = head; u != null; u = u.next()) {
            if (!u.isAborted()) {
                return false;
            }
        }
        return true;
    }
}
