package io.stratadb.api;

/**
 * A completed checkpoint, as shown in {@code SYS.CHECKPOINTS}.
 *
 * @param lsn LSN of the completion record
 * @param timestamp the checkpoint timestamp (the stable timestamp it was taken at)
 * @param oldestTimestamp the oldest timestamp at the time
 * @param tables number of tables in it
 * @since 0.1
 */
public record CheckpointInfo(long lsn, long timestamp, long oldestTimestamp, int tables) {}
