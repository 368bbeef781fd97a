package io.stratadb.api.pagelog;

/**
 * The chain links of a page write.
 *
 * @param backlinkLsn for a delta, the previous entry; for a full image, the previous full image (0 if none)
 * @param baseLsn for a delta, the chain's full image; 0 for a full image
 * @param delta whether the payload is a delta
 * @since 0.1
 */
public record PutArgs(long backlinkLsn, long baseLsn, boolean delta) {
    /** A full image. */
    public static PutArgs full(long previousFullLsn) {
        return new PutArgs(previousFullLsn, 0, false);
    }

    /** A delta over the full image {@code base}, following {@code backlink}. */
    public static PutArgs delta(long backlink, long base) {
        return new PutArgs(backlink, base, true);
    }
}
