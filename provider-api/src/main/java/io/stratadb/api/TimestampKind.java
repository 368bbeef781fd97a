package io.stratadb.api;

/**
 * The global timestamps an application may move (in {@link TimestampMode#APPLICATION} mode).
 *
 * @since 0.1
 */
public enum TimestampKind {
    /** Reads below it are refused; versions older than it may be discarded. Never moves backwards. */
    OLDEST,
    /** Checkpoints and rollback-to-stable use it; commits must be after it. Never moves backwards. */
    STABLE,
    /** Planned step-down point: transactions straddling it are rolled back when the node steps down. */
    STEP_DOWN
}
