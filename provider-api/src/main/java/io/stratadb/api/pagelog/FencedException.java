package io.stratadb.api.pagelog;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;

/**
 * A write refused because a newer epoch has been claimed: the writer is no longer the leader.
 *
 * <p>Records this writer appended but whose {@link PageLog#sync} had not returned when it was fenced are, on
 * most backends, never in the log (the {@code file:} backend drops them). A backend that replicates records
 * before it knows whether they are confirmed cannot promise that: BookKeeper's ledger recovery keeps an entry
 * that reached a bookie although the writer's add failed. Such a backend sets {@link
 * #unconfirmedRecordsMayBeDurable()}, and a commit that was waiting for its record then has an unknown outcome.
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.1
 */
public class FencedException extends StrataException {
    private static final long serialVersionUID = 1L;

    private final long writerEpoch;
    private final long currentEpoch;
    private final boolean unconfirmedRecordsMayBeDurable;

    /** A fencing after which no unconfirmed record of the writer is in the log. */
    public FencedException(long writerEpoch, long currentEpoch, String owner) {
        this(writerEpoch, currentEpoch, owner, false);
    }

    /**
     * A fencing; {@code unconfirmedRecordsMayBeDurable} says whether records appended but not yet confirmed by
     * a sync may nevertheless be in the log.
     */
    public FencedException(long writerEpoch, long currentEpoch, String owner, boolean unconfirmedRecordsMayBeDurable) {
        super(
                ErrorCode.FENCED,
                "page log write fenced: this node writes with epoch " + writerEpoch + " but epoch " + currentEpoch
                        + " belongs to " + owner);
        this.writerEpoch = writerEpoch;
        this.currentEpoch = currentEpoch;
        this.unconfirmedRecordsMayBeDurable = unconfirmedRecordsMayBeDurable;
    }

    public long writerEpoch() {
        return writerEpoch;
    }

    public long currentEpoch() {
        return currentEpoch;
    }

    /** Whether records appended but not confirmed by a sync before the fencing may still be in the log. */
    public boolean unconfirmedRecordsMayBeDurable() {
        return unconfirmedRecordsMayBeDurable;
    }
}
