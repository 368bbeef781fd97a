package io.stratadb.pagelog.bookkeeper.index;

import io.stratadb.api.pagelog.PageRecord;

/**
 * One stored record of a page id, without its payload (which stays in BookKeeper).
 *
 * @param lsn its LSN
 * @param kind full image, delta or discard
 * @param backlinkLsn backlink
 * @param baseLsn base (0 for a full image)
 * @param size payload bytes
 * @param location where the payload is
 */
public record PageVersion(long lsn, PageRecord.Kind kind, long backlinkLsn, long baseLsn, int size, Location location) {
    /** Whether it is a full image. */
    public boolean isFull() {
        return kind == PageRecord.Kind.FULL;
    }

    /** Whether it is a discard. */
    public boolean isDiscard() {
        return kind == PageRecord.Kind.DISCARD;
    }

    /** The LSN of the full image its chain rests on. */
    public long fullLsn() {
        return isFull() ? lsn : baseLsn;
    }
}
