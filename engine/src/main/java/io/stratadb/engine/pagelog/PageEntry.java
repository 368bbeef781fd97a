package io.stratadb.engine.pagelog;

import io.stratadb.api.pagelog.PageRecord;
import org.jspecify.annotations.Nullable;

/**
 * One page record as the page index knows it: its chain links plus where its payload lives.
 *
 * <p>Invariants: (1) a full image has {@code baseLsn == 0}; (2) a discard has {@code size == 0}; (3) exactly one
 * of {@code payload} (held in memory) and {@code location} (a backend-specific address, {@code >= 0}) is used by
 * its backend.
 *
 * <p>Thread safety: immutable as long as nobody mutates {@code payload}.
 *
 * @param pageId page id
 * @param lsn its LSN
 * @param backlinkLsn previous entry (delta, discard) or previous full image (full image)
 * @param baseLsn the chain's full image (delta, discard), 0 for a full image
 * @param kind full image, delta or discard
 * @param size payload bytes
 * @param location backend address of the stored record, -1 if held in {@code payload}
 * @param payload the bytes when the backend keeps them in memory
 */
@SuppressWarnings("ArrayRecordComponent") // payloads are shared, not copied, on the hot path
public record PageEntry(
        long pageId,
        long lsn,
        long backlinkLsn,
        long baseLsn,
        PageRecord.Kind kind,
        int size,
        long location,
        byte @Nullable [] payload) {

    /** The same entry stored at another location (after the backend moved it). */
    public PageEntry withLocation(long newLocation) {
        return new PageEntry(pageId, lsn, backlinkLsn, baseLsn, kind, size, newLocation, payload);
    }

    /** Whether this is a full image. */
    public boolean isFull() {
        return kind == PageRecord.Kind.FULL;
    }

    /** Whether this is a discard. */
    public boolean isDiscard() {
        return kind == PageRecord.Kind.DISCARD;
    }
}
