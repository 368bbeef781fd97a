package io.stratadb.engine.btree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One version of one key: a value or a tombstone written by a transaction, linked to the next older version.
 *
 * <p>Invariants: (1) a chain is ordered newest first; new versions are prepended at the head of the {@link
 * Slot} with a CAS, and the only append at the tail is the globally visible tombstone of a rolled-back prepared
 * insert (seed 004) or of rollback-to-stable; (2) {@code value == null} means tombstone; (3) an update whose
 * {@code aborted} flag is set, or whose owner rolled back, is skipped by every reader and writer; (4) {@code
 * value} is never mutated.
 *
 * <p>Thread safety: {@code next} and {@code aborted} are volatile; the rest is final.
 */
public final class Update {
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Update.class, "next", Update.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final UpdateOwner owner;
    private final byte @Nullable [] value;
    private volatile boolean aborted;

    @SuppressWarnings("UnusedVariable") // accessed through the NEXT VarHandle too
    private volatile @Nullable Update next;

    public Update(UpdateOwner owner, byte @Nullable [] value, @Nullable Update next) {
        this.owner = owner;
        this.value = value;
        this.next = next;
    }

    /** A globally visible tombstone (txn none, timestamp none). */
    public static Update globalTombstone() {
        return new Update(UpdateOwner.GLOBAL, null, null);
    }

    public UpdateOwner owner() {
        return owner;
    }

    /** The value, or null for a tombstone. */
    @SuppressWarnings("mutable") // never mutated; shared to keep reads allocation-free
    public byte @Nullable [] value() {
        return value;
    }

    public boolean isTombstone() {
        return value == null;
    }

    public @Nullable Update next() {
        return next;
    }

    /** Whether readers must skip this update (individually aborted, or its transaction rolled back). */
    public boolean isAborted() {
        return aborted || owner.state() == io.stratadb.api.TxnState.ROLLED_BACK;
    }

    /** Marks this update aborted (savepoint rollback, transaction rollback, rollback-to-stable). */
    public void abort() {
        aborted = true;
    }

    /**
     * Drops every older version (used when this update is visible to every present and future reader, so the
     * older ones can never be read again).
     */
    public void truncateBelow() {
        next = null;
    }

    /** Appends {@code tail} after the last update of this chain. */
    public void appendAtTail(Update tail) {
        Update u = this;
        while (true) {
            Update n = u.next;
            if (n == null) {
                if (NEXT.compareAndSet(u, (Update) null, tail)) {
                    return;
                }
            } else {
                u = n;
            }
        }
    }
}
