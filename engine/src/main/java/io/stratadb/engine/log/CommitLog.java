package io.stratadb.engine.log;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends log records to the page log in LSN order and makes them durable with group commit.
 *
 * <p>Group commit: {@link #awaitDurable} returns at once if a sync already covers the LSN; otherwise the caller
 * takes the sync lock, and, if still needed, syncs up to the newest appended LSN, covering every record
 * appended so far with one flush. Callers that queued behind it find their LSN covered and return without a
 * flush of their own.
 *
 * <p>Invariants: (1) {@code syncedLsn} only grows and every record at or below it is durable; (2) with {@code
 * syncWrites == false} (durability none) no caller ever waits for a flush; (3) a failed sync is reported as
 * IO_ERROR and nothing is marked durable.
 *
 * <p>Thread safety: thread-safe. {@link #append} is called under the engine's commit lock (so LSN order is
 * commit order); {@link #awaitDurable} after it is released.
 */
public final class CommitLog {
    private final PageLog pageLog;
    private final boolean syncWrites;
    private final ReentrantLock syncLock = new ReentrantLock();
    private volatile long appendedLsn;
    private volatile long syncedLsn;

    @GuardedBy("syncLock")
    private long syncs;

    public CommitLog(PageLog pageLog, boolean syncWrites) {
        this.pageLog = pageLog;
        this.syncWrites = syncWrites;
    }

    /** Appends an entry; returns its LSN. */
    public long append(LogEntry e) {
        long lsn = pageLog.append(e.type().code(), LogCodec.encode(e));
        appendedLsn = lsn;
        return lsn;
    }

    /** Waits until the record at {@code lsn} is durable (durability fsync), sharing flushes. */
    public void awaitDurable(long lsn) {
        if (!syncWrites || lsn == 0 || syncedLsn >= lsn) {
            return;
        }
        syncLock.lock();
        try {
            if (syncedLsn >= lsn) {
                return;
            }
            long target = Math.max(appendedLsn, lsn);
            try {
                pageLog.sync(target);
            } catch (StrataException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new StrataException(ErrorCode.IO_ERROR, "syncing the commit log to LSN " + target + " failed", e);
            }
            syncs++;
            syncedLsn = target;
        } finally {
            syncLock.unlock();
        }
    }

    /** Flushes everything appended (at close, also with durability none). */
    public void flush() {
        long a = appendedLsn;
        if (a > syncedLsn) {
            syncLock.lock();
            try {
                pageLog.sync(a);
                syncedLsn = Math.max(syncedLsn, a);
            } finally {
                syncLock.unlock();
            }
        }
    }

    /** The number of flushes so far (for group-commit tests). */
    public long syncCount() {
        syncLock.lock();
        try {
            return syncs;
        } finally {
            syncLock.unlock();
        }
    }

    public PageLog pageLog() {
        return pageLog;
    }
}
