package io.stratadb.engine.log;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
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
    private final Queue<Thread> waiters = new ConcurrentLinkedQueue<>();

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

    /**
     * Waits until the record at {@code lsn} is durable (durability fsync), sharing flushes: one caller at a time
     * leads a flush of everything appended so far; the others park until a flush covers them, and every caller a
     * flush covered is woken at once (not handed the lock one by one, which on few cores costs more than the
     * fsync and leaves each flush covering about one commit).
     */
    public void awaitDurable(long lsn) {
        if (!syncWrites || lsn == 0 || syncedLsn >= lsn) {
            return;
        }
        Thread me = Thread.currentThread();
        while (syncedLsn < lsn) {
            if (syncLock.tryLock()) {
                try {
                    if (syncedLsn < lsn) {
                        syncLocked(Math.max(appendedLsn, lsn));
                    }
                } finally {
                    syncLock.unlock();
                    wakeWaiters();
                }
            } else {
                waiters.add(me);
                // re-check after enqueueing, so a flush that ended in between cannot be missed; the timeout bounds
                // the wait even if a wake-up is lost
                if (syncedLsn < lsn && syncLock.isLocked()) {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
                waiters.remove(me);
            }
        }
    }

    @GuardedBy("syncLock")
    private void syncLocked(long target) {
        try {
            pageLog.sync(target);
        } catch (StrataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "syncing the commit log to LSN " + target + " failed", e);
        }
        syncs++;
        syncedLsn = target;
    }

    private void wakeWaiters() {
        for (Thread t : waiters) {
            LockSupport.unpark(t);
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
