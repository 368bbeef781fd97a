package io.stratadb.api;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot-isolated transaction over the tables of one engine; see {@link TxnState} for its life cycle.
 *
 * <p>Invariants: (1) reads see the snapshot taken at begin (or at the read timestamp) plus the transaction's
 * own writes; (2) of two transactions writing one key, the second writer fails with {@link
 * ErrorCode#WRITE_CONFLICT} and is rolled back; (3) a failed operation changes nothing; a failed statement in
 * the SQL layer is undone through {@link #savepoint()}; (4) after prepare, only commit and rollback are
 * allowed.
 *
 * <p>Timestamps follow the rules in {@code site/.../timestamps.md}: in {@link TimestampMode#AUTO} mode the
 * engine assigns them and the timestamp arguments are ignored when 0.
 *
 * <p>Thread safety: not thread-safe; one thread at a time. Ownership: the session that began it; {@link
 * #close()} rolls back an unfinished transaction.
 *
 * @since 0.1
 */
public interface Transaction extends AutoCloseable {
    /** The engine-unique id of this transaction. */
    long id();

    /** The current state. */
    TxnState state();

    /** The options it began with. */
    TransactionOptions options();

    /** The row with that primary key in this transaction's view, or null. */
    Object @Nullable [] get(TableHandle table, Object[] key);

    /** A cursor over the rows of the range in this transaction's view. */
    Cursor cursor(TableHandle table, KeyRange range);

    /**
     * A cursor over the rows of the range in this transaction's view whose {@link Cursor#row()} holds only the
     * given columns: element {@code i} of a row is the value of column {@code columns[i]} (indexes into the
     * table's columns; a column may be listed more than once, and an empty array gives empty rows, for counting).
     * The rows, their order and the cursor's behaviour are exactly those of {@link #cursor(TableHandle,
     * KeyRange)}; only the row contents are narrowed, so a provider can skip decoding the other columns. Each
     * call of {@code row()} returns a new array, which the caller may keep or modify.
     *
     * <p>The default implementation projects the full rows of {@link #cursor(TableHandle, KeyRange)}, so every
     * provider supports it; the engine overrides it to decode only the listed columns.
     *
     * @throws StrataException {@link ErrorCode#INVALID_ARGUMENT} if a column index is out of range
     * @since 0.1
     */
    default Cursor cursor(TableHandle table, KeyRange range, int[] columns) {
        int n = table.schema().columns().size();
        int[] cols = columns.clone();
        for (int c : cols) {
            if (c < 0 || c >= n) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        "column index " + c + " is out of range for table " + table.name() + " with " + n + " columns");
            }
        }
        return new ProjectedCursor(cursor(table, range), cols);
    }

    /** Inserts a row; fails with {@link ErrorCode#DUPLICATE_KEY} if its key exists in this view. */
    void insert(TableHandle table, Object[] row);

    /** Replaces the row with the same key; returns false (changing nothing) if there is none. */
    boolean update(TableHandle table, Object[] row);

    /** Inserts or replaces the row with the same key. */
    void upsert(TableHandle table, Object[] row);

    /** Deletes the row with that key; returns false if there is none. */
    boolean delete(TableHandle table, Object[] key);

    /** Whether the transaction has written anything. */
    boolean hasWrites();

    /**
     * Marks the current point of the transaction's writes; {@link #rollbackTo(long)} undoes every write made
     * after it. Used to make a failed statement leave no trace.
     */
    long savepoint();

    /** Undoes every write made after the savepoint. */
    void rollbackTo(long savepoint);

    /**
     * Sets the commit timestamp before commit or after prepare ({@link TimestampMode#APPLICATION}); it must
     * be after stable and the read timestamp, else {@link ErrorCode#INVALID_TIMESTAMP} and nothing changes.
     */
    void setCommitTimestamp(long commitTimestamp);

    /**
     * Prepares the transaction: writes a durable prepare record and makes it read-only. {@code
     * prepareTimestamp} must be after stable (0 in AUTO mode lets the engine choose). {@code xid} identifies
     * the transaction for recovery after a restart or failover.
     */
    void prepare(long prepareTimestamp, @Nullable GlobalTxnId xid);

    /** Commits an active transaction, at the commit timestamp set earlier or one the engine assigns. */
    void commit();

    /**
     * Commits with explicit timestamps. For a prepared transaction {@code commitTimestamp >= prepare} and
     * {@code durableTimestamp >= commitTimestamp}; otherwise durable must equal commit (or be 0).
     */
    void commit(long commitTimestamp, long durableTimestamp);

    /** Rolls back. A prepared insert rolled back leaves the key absent at every timestamp. */
    void rollback();

    /** Rolls back if still active or prepared; never throws for a finished transaction. */
    @Override
    void close();
}
