package io.stratadb.engine.checkpoint;

/**
 * When the background checkpoint thread starts a checkpoint: once {@code checkpoint_interval_ms} has passed since
 * the last one, or as soon as {@code checkpoint_log_records} log records were written since it, whichever comes
 * first; never while nothing changed (the log did not grow and the stable timestamp did not move).
 *
 * <p>The record trigger bounds the log a busy database writes between checkpoints, and so what recovery replays
 * and what the next reclaim can free: at 300k commits/s a 60 s interval alone would let 18 million records build
 * up. After a failed checkpoint neither trigger fires again for {@link #RETRY_NANOS}, so a lasting failure (a
 * full disk) is retried and logged once a second, not at every poll.
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
    private long notBeforeNanos;

    /** How long a failed checkpoint holds off the next attempt. */
    static final long RETRY_NANOS = 1_000_000_000L;

    /** A trigger that starts counting at {@code nowNanos} (the engine's start). */
    CheckpointTrigger(long intervalMs, long logRecords, long nowNanos) {
        this.intervalNanos = intervalMs * 1_000_000L;
        this.logRecords = logRecords;
        this.lastRunNanos = nowNanos;
        this.notBeforeNanos = nowNanos;
    }

    /** Whether a checkpoint is due with the log at {@code lsn} and the stable timestamp at {@code stable}. */
    boolean due(long lsn, long stable, long nowNanos) {
        if (lsn == lastLsn && stable == lastStable) {
            return false; // idle: nothing a checkpoint would add
        }
        if (nowNanos - notBeforeNanos < 0) {
            return false; // the last attempt failed moments ago
        }
        boolean late = intervalNanos > 0 && nowNanos - lastRunNanos >= intervalNanos;
        boolean full = logRecords > 0 && lsn - lastLsn >= logRecords;
        return late || full;
    }

    /** Records a failed attempt at {@code nowNanos}: the next one waits {@link #RETRY_NANOS}. */
    void failed(long nowNanos) {
        notBeforeNanos = nowNanos + RETRY_NANOS;
    }

    /** Records a completed checkpoint that saw the log at {@code lsn} and the stable timestamp {@code stable}. */
    void ran(long lsn, long stable, long nowNanos) {
        lastLsn = lsn;
        lastStable = stable;
        lastRunNanos = nowNanos;
    }
}
