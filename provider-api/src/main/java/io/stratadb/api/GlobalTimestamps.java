package io.stratadb.api;

/**
 * A snapshot of the global timestamps of a node.
 *
 * <p>Invariants: {@code oldest <= stable}; 0 means "not set".
 *
 * @param oldest the oldest timestamp readers may use
 * @param stable the stable timestamp (checkpoints contain exactly the updates durable at or below it)
 * @param allDurable the newest timestamp at or below which every commit is durable
 * @param lastCheckpoint the timestamp of the last completed or picked-up checkpoint
 * @since 0.1
 */
public record GlobalTimestamps(long oldest, long stable, long allDurable, long lastCheckpoint) {}
