package io.stratadb.engine.log;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;

/**
 * The types of log records the engine writes; the code is the page log's record type.
 *
 * <p>Invariants: codes are unique and never reused for another meaning (they are stored).
 *
 * <p>Thread safety: immutable.
 */
public enum RecordType {
    /** An ordinary commit: timestamps and every write. */
    COMMIT(1),
    /** A prepare: xid, prepare timestamp and every write. */
    PREPARE(2),
    /** The commit of a prepared transaction: its id and timestamps. */
    COMMIT_PREPARED(3),
    /** The rollback of a prepared transaction. */
    ROLLBACK_PREPARED(4),
    /** A new table: id and schema. */
    CREATE_TABLE(5),
    /** A dropped table: id. */
    DROP_TABLE(6),
    /** A move of the oldest or stable timestamp (application mode). */
    TIMESTAMPS(7),
    /** A rollback to stable at a timestamp. */
    ROLLBACK_TO_STABLE(8),
    /**
     * The heuristic (unilateral) completion of a prepared transaction, or a reminder of one that is still
     * remembered (written after a rollback to stable, so that the redo window may move past the original).
     */
    HEURISTIC(9),
    /** The end of a remembered heuristic outcome: its xid. */
    FORGET_HEURISTIC(10);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with that code; CORRUPTION if none. */
    public static RecordType of(int code) {
        for (RecordType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new StrataException(ErrorCode.CORRUPTION, "unknown log record type " + code);
    }
}
