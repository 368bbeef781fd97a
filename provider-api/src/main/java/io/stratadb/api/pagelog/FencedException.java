package io.stratadb.api.pagelog;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;

/**
 * A write refused because a newer epoch has been claimed: the writer is no longer the leader.
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.1
 */
public class FencedException extends StrataException {
    private static final long serialVersionUID = 1L;

    private final long writerEpoch;
    private final long currentEpoch;

    public FencedException(long writerEpoch, long currentEpoch, String owner) {
        super(
                ErrorCode.FENCED,
                "page log write fenced: this node writes with epoch " + writerEpoch + " but epoch " + currentEpoch
                        + " belongs to " + owner);
        this.writerEpoch = writerEpoch;
        this.currentEpoch = currentEpoch;
    }

    public long writerEpoch() {
        return writerEpoch;
    }

    public long currentEpoch() {
        return currentEpoch;
    }
}
