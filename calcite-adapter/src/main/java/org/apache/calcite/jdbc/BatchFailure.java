package org.apache.calcite.jdbc;

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
}
