package io.stratadb.api.pagelog;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * One database's page log: page records per table (through {@link PageLogHandle}), log records, and
 * checkpoint completions, all in one strictly increasing LSN space.
 *
 * <p>Invariants: (1) every put, discard, log append and completion consumes a new LSN, greater than every LSN
 * before it, and the counter never decreases (not even on {@link #abandonCheckpoint()}); (2) only the writer
 * that holds the current epoch may write: once another instance has {@link #claimEpoch() claimed} a newer
 * epoch, every write of this one fails with {@link FencedException} and has no visible effect; (3) readers
 * (any instance) see records only up to {@link #lastLsn()} as of their call.
 *
 * <p>Thread safety: thread-safe. Ownership: the node that opened it closes it.
 *
 * @since 0.1
 */
public interface PageLog extends AutoCloseable {
    /** The URI it was opened with. */
    URI uri();

    /** The per-table handle for page records. Page ids are scoped by table id. */
    PageLogHandle openHandle(long tableId);

    /** The newest LSN written by anyone, as far as this instance can see. */
    long lastLsn();

    // ---- epochs and fencing ----

    /** The newest epoch claimed by any node (0 if none yet). */
    long currentEpoch();

    /** The node that claimed {@link #currentEpoch()}, or empty. */
    Optional<String> epochOwner();

    /**
     * Claims a new epoch (current + 1) for this instance, making it the only writer: from then on writes by
     * holders of older epochs fail with {@link FencedException}. Returns the new epoch.
     */
    long claimEpoch();

    /** The epoch this instance writes with, 0 if it never claimed one. */
    long writerEpoch();

    // ---- leadership token (automatic failover; optional) ----

    /**
     * Makes this instance the holder of the leadership token, replacing any other holder's: called by a leader
     * after it claimed its epoch. The token lives as long as this instance (and, where the backend has one, its
     * coordination session); {@link #close()} releases it. The default (backends without a token) does nothing.
     */
    default void holdLeadership() {}

    /**
     * Takes the leadership token if nobody holds it; true if this instance now holds it. Exactly one of several
     * concurrent callers wins. The default (backends without a token) never wins.
     */
    default boolean tryTakeLeadership() {
        return false;
    }

    /** Releases the token if this instance holds it. The default does nothing. */
    default void releaseLeadership() {}

    /**
     * Tells {@code listener} each time the token disappears, until this instance is closed. The default
     * (backends without a token) never calls it.
     */
    default void watchLeadership(LeadershipListener listener) {}

    // ---- log records ----

    /**
     * Appends a log record (a commit or prepare record; the type is the engine's) and returns its LSN. The
     * record is readable by other instances only after {@link #sync(long)} covers it or the backend flushes.
     */
    long append(int type, byte[] payload);

    /**
     * Makes every record up to {@code lsn} durable (fsync or write quorum, when {@link
     * PageLogOptions#syncWrites()}) and visible to readers. Concurrent callers may share one flush.
     */
    void sync(long lsn);

    /** Log records with LSN greater than {@code afterLsn}, oldest first, at most {@code max} of them. */
    List<LogRecord> readLog(long afterLsn, int max);

    // ---- checkpoints ----

    /**
     * Appends a checkpoint completion record, the single commit point of a checkpoint; durable on return.
     */
    CheckpointCompletion completeCheckpoint(long checkpointTimestamp, long oldestTimestamp, byte[] metadata);

    /**
     * The completed checkpoint selected by {@code lsn}: 0 = the newest; an exact completion LSN = that one; an
     * LSN between two completions = the next one above it; above the newest = empty.
     */
    Optional<CheckpointCompletion> completedCheckpoint(long lsn);

    /** Every completed checkpoint still retained, oldest first. */
    List<CheckpointCompletion> completedCheckpoints();

    /**
     * Removes every page record and completion above the newest completed checkpoint's LSN (the records of
     * an unfinished checkpoint). Log records are kept. The LSN counter is not lowered. Writer only.
     */
    void abandonCheckpoint();

    /**
     * Reclaims space: records needed by no read at or after the completed checkpoint {@code checkpointLsn}
     * (older page versions superseded by a newer full image at or below it, discarded page ids, log records
     * at or below it) may be deleted. Writer only.
     */
    void reclaim(long checkpointLsn);

    /** Sizes of what is stored, per table id. */
    List<PageLogTableStats> stats();

    @Override
    void close();
}
