package io.stratadb.pagelog.bookkeeper.codec;

/**
 * One decoded ledger entry.
 *
 * <p>Invariants: (1) {@code lsn > 0} exactly when {@code kind.hasLsn()}; (2) a {@code copy} is a page or log
 * record rewritten, with its original LSN and links, into a newer ledger so that an old ledger can be deleted.
 *
 * <p>Thread safety: immutable as long as nobody mutates {@code payload}.
 *
 * @param kind what it holds
 * @param copy whether it is a relocated copy of an earlier entry
 * @param epoch the epoch of the writer that appended it
 * @param lsn its LSN (0 for kinds without one)
 * @param tableId table id (page records)
 * @param pageId page id (page records)
 * @param backlinkLsn backlink (page records)
 * @param baseLsn base (page records)
 * @param refLsn the LSN an ABANDON or RECLAIM names; for COMPLETION the checkpoint timestamp
 * @param aux the log record type; for COMPLETION the oldest timestamp
 * @param payload the bytes (page image, log record, completion metadata)
 */
@SuppressWarnings("ArrayRecordComponent") // the payload is shared, not copied; callers must not mutate it
public record Entry(
        EntryKind kind,
        boolean copy,
        long epoch,
        long lsn,
        long tableId,
        long pageId,
        long backlinkLsn,
        long baseLsn,
        long refLsn,
        long aux,
        byte[] payload) {
    private static final byte[] NONE = new byte[0];

    /** A page record. */
    public static Entry page(
            EntryKind kind, long epoch, long lsn, long tableId, long pageId, long backlink, long base, byte[] payload) {
        return new Entry(kind, false, epoch, lsn, tableId, pageId, backlink, base, 0, 0, payload);
    }

    /** A log record. */
    public static Entry log(long epoch, long lsn, int type, byte[] payload) {
        return new Entry(EntryKind.LOG, false, epoch, lsn, 0, 0, 0, 0, 0, type, payload);
    }

    /** A completion record. */
    public static Entry completion(long epoch, long lsn, long timestamp, long oldest, byte[] metadata) {
        return new Entry(EntryKind.COMPLETION, false, epoch, lsn, 0, 0, 0, 0, timestamp, oldest, metadata);
    }

    /** An ABANDON, RECLAIM or MARKER entry. */
    public static Entry control(EntryKind kind, long epoch, long refLsn) {
        return new Entry(kind, false, epoch, 0, 0, 0, 0, 0, refLsn, 0, NONE);
    }

    /** This record as a copy written by {@code writerEpoch}. */
    public Entry asCopy(long writerEpoch) {
        return new Entry(kind, true, writerEpoch, lsn, tableId, pageId, backlinkLsn, baseLsn, refLsn, aux, payload);
    }
}
