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
 * with {@code ignorePrepare}. The first visible update decides: a value, or a tombstone (absent).
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

    /** The visible value of the chain, or null when absent (no visible update, or a tombstone). */
    public byte @Nullable [] value(@Nullable Update head) {
        Update u = visible(head);
        return u == null ? null : u.value();
    }
}
