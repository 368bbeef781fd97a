package io.stratadb.engine.pagelog.file;

import org.jspecify.annotations.Nullable;

/**
 * The kinds of record a segment holds, with their on-disk codes.
 *
 * <p>Invariants: codes never change once written to disk; page, log and completion records consume an LSN, the
 * others (markers) do not.
 *
 * <p>Thread safety: immutable.
 */
enum RecordKind {
    /** A full page image: a = table, b = page, c = backlink, d = 0. */
    FULL(1, true),
    /** A page delta: a = table, b = page, c = backlink, d = base. */
    DELTA(2, true),
    /** A page discard: a = table, b = page, c = backlink, d = base; no payload. */
    DISCARD(3, true),
    /** A log record: type = the engine's type; payload = the record. */
    LOG(4, true),
    /** A checkpoint completion: a = checkpoint ts, b = oldest ts, c = epoch that completed it; payload = metadata. */
    COMPLETION(5, true),
    /** An epoch claim: epoch = the new epoch, a = the LSN counter then; payload = owner (UTF-8). */
    EPOCH(6, false),
    /** Abandon: removes page records and completions above a; b = the LSN counter then. */
    ABANDON(7, false),
    /** Reclaim at the completed checkpoint a: drops what no read at or after it needs. */
    RECLAIM(8, false),
    /** End of a compaction: a = the LSN counter, b = the first segment that remains. */
    MARK(9, false);

    private static final RecordKind[] BY_CODE = new RecordKind[16];

    static {
        for (RecordKind k : values()) {
            BY_CODE[k.code] = k;
        }
    }

    final int code;
    final boolean consumesLsn;

    RecordKind(int code, boolean consumesLsn) {
        this.code = code;
        this.consumesLsn = consumesLsn;
    }

    static @Nullable RecordKind of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
