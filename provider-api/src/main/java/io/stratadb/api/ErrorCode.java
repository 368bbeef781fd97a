package io.stratadb.api;

/**
 * The single table of every error a StrataDB caller can see.
 *
 * <p>Each constant carries the SQLSTATE that JDBC users and connection pools act on, and whether the failed
 * operation may simply be retried. The SQL adapter maps codes to {@code SQLException} subclasses by SQLSTATE
 * class (40 to {@code SQLTransactionRollbackException}, 08 to {@code SQLNonTransientConnectionException}, and
 * so on). The documentation site lists every constant; a test fails when one is missing there.
 *
 * <p>Invariants: (1) every constant has a five-character SQLSTATE; (2) a retryable code is one whose
 * transaction has been rolled back and can be run again unchanged.
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.1
 */
public enum ErrorCode {
    /**
     * Two transactions wrote the same key and the other committed first, or wrote it after this transaction's
     * snapshot was taken. The transaction is rolled back; run it again.
     */
    WRITE_CONFLICT("40001", true),
    /**
     * A read or write met an update of a transaction that is prepared but not yet committed or rolled back.
     * Roll back and retry later, or read with {@code ignorePrepare}.
     */
    PREPARE_CONFLICT("40001", true),
    /**
     * The transaction was rolled back by the engine: the node stepped down, a planned step-down timestamp cut
     * through it, or it timed out. Run it again, on the leader if the node is now a follower.
     */
    TRANSACTION_ROLLED_BACK("40001", true),
    /** A write reached a follower. Send writes to the leader the message names. */
    NOT_LEADER("25006", false),
    /**
     * The page log refused a write because another node holds a newer epoch: this node is no longer the
     * leader. Nothing of the refused write is visible. Reconnect to the current leader.
     */
    FENCED("25006", false),
    /**
     * A commit's log record was handed to the page log, but the page log failed before confirming it durable
     * (it fenced this node, or its write quorum failed), and on this backend such a record may still be in the
     * log: the new leader's recovery decides whether the transaction committed. Do not run it again blindly;
     * reconnect to the current leader and check whether its effects are there. The node is deposed.
     */
    COMMIT_OUTCOME_UNKNOWN("08007", false),
    /** A write in a read-only transaction (one that ignores prepared updates, or a prepared one). */
    READ_ONLY_TRANSACTION("25006", false),
    /**
     * The call is not allowed in the transaction's state: an operation after prepare, a commit of a finished
     * transaction, a second transaction on one session. Fix the call sequence.
     */
    INVALID_TRANSACTION_STATE("25000", false),
    /**
     * The operation is not allowed in the node's current state, for example DDL while a step-up or
     * step-down runs, or a role change while one already runs. Retry once the transition has finished.
     */
    INVALID_STATE("55000", false),
    /** The database directory is in use by another process. Close that process, or open another path. */
    DATABASE_LOCKED("55006", false),
    /**
     * A timestamp breaks an ordering rule (commit not after stable, read before oldest, stable moving
     * backwards, ...). Nothing was changed; pass a valid timestamp.
     */
    INVALID_TIMESTAMP("22023", false),
    /** An argument or configuration value is malformed or out of its domain. Nothing was changed. */
    INVALID_ARGUMENT("22023", false),
    /** An insert met an existing primary key. The statement changed nothing. */
    DUPLICATE_KEY("23505", false),
    /** A NOT NULL column (or a primary key column) received NULL. The statement changed nothing. */
    NOT_NULL_VIOLATION("23502", false),
    /** A numeric value does not fit its column's type or precision. The statement changed nothing. */
    NUMERIC_OUT_OF_RANGE("22003", false),
    /** A string or binary value is longer than its column allows. The statement changed nothing. */
    STRING_TOO_LONG("22001", false),
    /** A value cannot be converted to its column's type. The statement changed nothing. */
    INVALID_VALUE("22018", false),
    /** A key or value exceeds the engine's size limits. The statement changed nothing. */
    VALUE_TOO_LARGE("54000", false),
    /** SQL text that does not parse. */
    SYNTAX_ERROR("42601", false),
    /** A table that does not exist. */
    TABLE_NOT_FOUND("42P01", false),
    /** CREATE TABLE of a table that exists (without IF NOT EXISTS). */
    TABLE_EXISTS("42P07", false),
    /** A column that does not exist, or a malformed table definition. */
    COLUMN_NOT_FOUND("42703", false),
    /** A write to a system table; {@code SYS} tables are read-only views of the engine's state. */
    READ_ONLY_TABLE("42809", false),
    /** A SQL statement that is semantically invalid (type mismatch, bad definition). */
    INVALID_SQL("42000", false),
    /** A prepared transaction or XA branch with that identity is not known to this node. */
    UNKNOWN_TRANSACTION("42704", false),
    /** Use of a closed engine, session, transaction, cursor or connection. Open a new one. */
    CLOSED("08003", false),
    /** A feature StrataDB does not implement. */
    UNSUPPORTED("0A000", false),
    /** The cache is full of pages that cannot be evicted yet. Roll back and retry. */
    CACHE_FULL("53200", true),
    /** An I/O operation failed. The operation did not take effect; check the disk. */
    IO_ERROR("58030", false),
    /**
     * Stored data failed its checksum or structure check. The data is not returned. Restore from a replica or
     * backup.
     */
    CORRUPTION("XX001", false),
    /** An internal invariant failed. This is a bug; please report it with the message. */
    INTERNAL("XX000", false);

    private final String sqlState;
    private final boolean retryable;

    ErrorCode(String sqlState, boolean retryable) {
        this.sqlState = sqlState;
        this.retryable = retryable;
    }

    /** The SQLSTATE reported to JDBC callers. */
    public String sqlState() {
        return sqlState;
    }

    /** Whether the failed transaction may be run again unchanged. */
    public boolean retryable() {
        return retryable;
    }
}
