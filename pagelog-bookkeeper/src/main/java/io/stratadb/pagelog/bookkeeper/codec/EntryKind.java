package io.stratadb.pagelog.bookkeeper.codec;

/**
 * What one ledger entry holds.
 *
 * <p>Invariants: (1) the byte codes are part of the stored format and never change; (2) only {@link #FULL},
 * {@link #DELTA}, {@link #DISCARD}, {@link #LOG} and {@link #COMPLETION} carry an LSN of their own.
 *
 * <p>Thread safety: immutable.
 */
public enum EntryKind {
    /** A full page image. */
    FULL(1),
    /** A page delta. */
    DELTA(2),
    /** A page discard (empty payload). */
    DISCARD(3),
    /** A log record (commit or prepare redo). */
    LOG(4),
    /** A checkpoint completion; published (and so trusted) only once ZooKeeper has it too. */
    COMPLETION(5),
    /** Page records above {@link Entry#refLsn()} are abandoned; consumes no LSN. */
    ABANDON(6),
    /** Records no read at or after the checkpoint {@link Entry#refLsn()} needs are dropped; consumes no LSN. */
    RECLAIM(7),
    /** Carries the writer's last-add-confirmed to the bookies so readers see what was synced; no LSN. */
    MARKER(8);

    private final int code;

    EntryKind(int code) {
        this.code = code;
    }

    /** The stored byte. */
    public int code() {
        return code;
    }

    /** Whether entries of this kind own an LSN. */
    public boolean hasLsn() {
        return this == FULL || this == DELTA || this == DISCARD || this == LOG || this == COMPLETION;
    }

    /** Whether entries of this kind are page records. */
    public boolean isPage() {
        return this == FULL || this == DELTA || this == DISCARD;
    }

    /** The kind stored as {@code code}, or null if the byte names none. */
    public static @org.jspecify.annotations.Nullable EntryKind of(int code) {
        for (EntryKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
