package io.stratadb.engine.checkpoint;

/**
 * When the background checkpoint thread starts a checkpoint: once {@code checkpoint_interval_ms} has passed since
 * the last one, or as soon as {@code checkpoint_log_records} log records were written since it, whichever comes
 * first; never while nothing changed (the log did not grow and the stable timestamp did not move).
 *
 * <p>The record trigger bounds what a busy database holds between checkpoints: the page log indexes every log
 * record in memory (24 bytes each) and keeps it on disk until a checkpoint lets the space be reclaimed, and
 * recovery replays every record since the last checkpoint. At 300k commits/s a 60 s interval alone would let
 * that grow to 18 million records.
 *
 * <p>Invariants: {@code lastLsn} and {@code lastStable} are what the last completed background checkpoint saw;
 * a trigger of 0 is off.
 *
 * <p>Thread safety: confined to the checkpoint thread.
 */
final class CheckpointTrigger {
    private final long intervalNanos;
    private final long logRecords;
    private long lastLsn;
    private long lastStable = -1;
    private long lastRunNanos;

    /** A trigger that starts counting at {@code nowNanos} (the engine's start). */
    CheckpointTrigger(long intervalMs, long logRecords, long nowNanos) {
        this.intervalNanos = intervalMs * 1_000_000L;
        this.logRecords = logRecords;
        this.lastRunNanos = nowNanos;
    }

    /** Whether a checkpoint is due with the log at {@code lsn} and the stable timestamp at {@code stable}. */
    boolean due(long lsn, long stable, long nowNanos) {
        if (lsn == lastLsn && stable == lastStable) {
            return false; // idle: nothing a checkpoint would add
        }
        boolean late = intervalNanos > 0 && nowNanos - lastRunNanos >= intervalNanos;
        boolean full = logRecords > 0 && lsn - lastLsn >= logRecords;
        return late || full;
    }

    /** Records a completed checkpoint that saw the log at {@code lsn} and the stable timestamp {@code stable}. */
    void ran(long lsn, long stable, long nowNanos) {
        lastLsn = lsn;
        lastStable = stable;
        lastRunNanos = nowNanos;
    }
}
