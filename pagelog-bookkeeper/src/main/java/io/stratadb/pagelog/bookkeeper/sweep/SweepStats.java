package io.stratadb.pagelog.bookkeeper.sweep;

/**
 * What one page log instance's sweeper has done since it was created.
 *
 * <p>Invariants: every count only grows.
 *
 * <p>Thread safety: immutable.
 *
 * @param runs sweeps run, including those that failed or found this instance deposed
 * @param swept ledgers the sweeps deleted as leaked
 * @param retried ledgers a reclaim dropped from the manifest but failed to delete, deleted on a retry
 * @param failures sweeps or deletions that failed (logged; retried at the next run)
 */
public record SweepStats(long runs, long swept, long retried, long failures) {}
