package io.stratadb.engine.btree;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TxnState;
import org.jspecify.annotations.Nullable;

/**
 * The visibility rule of one transaction's reads: which update of a chain it sees.
 *
 * <p>An update is visible iff it is not aborted and (a) it is the reader's own, or (b) its transaction committed
 * with a commit sequence at or below the reader's snapshot and, when the reader has a read timestamp, a commit
 * timestamp at or below it. An update of a prepared transaction whose prepare timestamp is at or below the read
 * timestamp (or any prepared update when reading without a timestamp) raises PREPARE_CONFLICT, or is skipped
 * with {@code ignorePrepare}. The first visible update decides: a value, or a tombstone (absent). When no update
 * of the chain is visible, the slot's folded version decides ({@link Slot#base()}: visible to every reader).
 *
 * <p>Invariants: immutable after construction; the snapshot sequence never changes during a transaction.
 *
 * <p>Thread safety: immutable.
 */
public final class ReadView {
    private final @Nullable UpdateOwner self;
    private final long snapshotSeq;
    private final long readTs;
    private final boolean ignorePrepare;

    public ReadView(@Nullable UpdateOwner self, long snapshotSeq, long readTs, boolean ignorePrepare) {
        this.self = self;
        this.snapshotSeq = snapshotSeq;
        this.readTs = readTs;
        this.ignorePrepare = ignorePrepare;
    }

    public long snapshotSeq() {
        return snapshotSeq;
    }

    public long readTs() {
        return readTs;
    }

    /** The visible update of the chain starting at {@code head} (maybe a tombstone), or null if none. */
    public @Nullable Update visible(@Nullable Update head) {
        for (Update u = head; u != null; u = u.next()) {
            UpdateOwner o = u.owner();
            if (o == self) {
                if (!u.isAborted()) {
                    return u;
                }
                continue;
            }
            TxnState st = o.state();
            switch (st) {
                case COMMITTED -> {
                    if (!u.isAborted() && o.commitSeq() <= snapshotSeq && (readTs == 0 || o.commitTs() <= readTs)) {
                        return u;
                    }
                }
                case PREPARED -> {
                    if (!u.isAborted() && !ignorePrepare && (readTs == 0 || o.prepareTs() <= readTs)) {
                        throw new StrataException(
                                ErrorCode.PREPARE_CONFLICT,
                                "the key is prepared by txn " + o.txnId() + " at timestamp " + o.prepareTs());
                    }
                }
                case ACTIVE, ROLLED_BACK -> {
                    // an uncommitted or rolled-back update is invisible to others
                }
            }
        }
        return null;
    }

    /**
     * What this reader sees of {@code slot}: the visible value, {@link Slot#TOMBSTONE} for a visible tombstone, or
     * null when nothing is visible. Allocation-free.
     */
    public byte @Nullable [] find(Slot slot) {
        return find(slot.head(), slot);
    }

    /** {@link #find(Slot)} for a head the caller already read from {@code slot}. */
    public byte @Nullable [] find(@Nullable Update head, Slot slot) {
        Update u = visible(head);
        if (u != null) {
            byte[] v = u.value();
            return v == null ? Slot.TOMBSTONE : v;
        }
        return slot.base(); // read after the head: a fold writes the base before unlinking the chain
    }

    /** The visible value of {@code slot}, or null when absent (nothing visible, or a tombstone). */
    public byte @Nullable [] value(Slot slot) {
        return value(slot.head(), slot);
    }

    /** {@link #value(Slot)} for a head the caller already read from {@code slot}. */
    public byte @Nullable [] value(@Nullable Update head, Slot slot) {
        byte[] v = find(head, slot);
        return v == Slot.TOMBSTONE ? null : v;
    }
}
