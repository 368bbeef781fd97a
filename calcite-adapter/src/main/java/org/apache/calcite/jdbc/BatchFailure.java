package org.apache.calcite.jdbc;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The failure of one row of an {@code executeBatch}, carrying the update counts of the rows before it through
 * Avatica (which wraps every failure of a batch in a plain SQLException) to the prepared statement, which reports
 * it as a {@link java.sql.BatchUpdateException}.
 *
 * <p>Invariants: {@link #getCause()} is the failure of the row; {@link #counts()} has one count per row that ran
 * before it.
 *
 * <p>Thread safety: immutable.
 */
final class BatchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: it lives between the Meta and the statement of one connection
    private final long[] counts;

    BatchFailure(long[] counts, Throwable cause) {
        super(cause.getMessage(), cause);
        this.counts = counts.clone();
    }

    /** The update counts of the rows that ran before the failing one. */
    long[] counts() {
        return counts.clone();
    }

    /** The batch failure in {@code t}'s cause chain, if any. */
    static @Nullable BatchFailure in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BatchFailure b) {
                return b;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /**
     * The exception an {@code executeBatch} that failed with {@code e} throws: a {@link BatchUpdateException}
     * with the SQLSTATE of the failing statement and the counts of those before it when {@code e} carries a
     * batch failure, else {@code e} translated as any other failure.
     */
    static SQLException toSqlException(Throwable e) {
        BatchFailure failure = in(e);
        if (failure == null) {
            return StrataJdbcFactory.translate(e);
        }
        SQLException cause = StrataJdbcFactory.translate(failure.getCause() == null ? failure : failure.getCause());
        return new BatchUpdateException(
                cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), failure.counts(), cause);
    }
}
