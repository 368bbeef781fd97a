package io.stratadb.api.pagelog;

/**
 * A checkpoint completion record: the only checkpoint marker followers trust.
 *
 * @param lsn the completion's LSN
 * @param checkpointTimestamp the stable timestamp the checkpoint was taken at
 * @param oldestTimestamp the oldest timestamp then
 * @param epoch the writer epoch that completed it
 * @param metadata the engine's checkpoint metadata (catalogue root, checksum)
 * @since 0.1
 */
@SuppressWarnings("ArrayRecordComponent") // arrays are shared, not copied, on hot paths; callers must not mutate them
public record CheckpointCompletion(
        long lsn, long checkpointTimestamp, long oldestTimestamp, long epoch, byte[] metadata) {}
