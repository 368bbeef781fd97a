package io.stratadb.api.pagelog;

/**
 * One page record as stored: a full image, a delta or a discard.
 *
 * <p>Thread safety: immutable as long as nobody mutates {@code payload}.
 *
 * @param tableId table id
 * @param pageId page id
 * @param lsn its LSN
 * @param backlinkLsn backlink (see {@link PutArgs})
 * @param baseLsn base (0 for a full image)
 * @param kind full image, delta or discard
 * @param payload the page bytes (empty for a discard)
 * @since 0.1
 */
@SuppressWarnings("ArrayRecordComponent") // arrays are shared, not copied, on hot paths; callers must not mutate them
public record PageRecord(
        long tableId, long pageId, long lsn, long backlinkLsn, long baseLsn, Kind kind, byte[] payload) {
    /** What a page record is. */
    public enum Kind {
        FULL,
        DELTA,
        DISCARD
    }
}
