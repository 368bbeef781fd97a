package io.stratadb.api;

/**
 * Who assigns timestamps.
 *
 * @since 0.1
 */
public enum TimestampMode {
    /** The engine assigns commit timestamps from a monotonic clock and advances stable itself. */
    AUTO,
    /** The application sets read, commit, durable and prepare timestamps and moves oldest and stable. */
    APPLICATION
}
