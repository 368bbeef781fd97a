package io.stratadb.engine.log;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.engine.pagelog.CopyingAppend;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends log records to the page log in LSN order and makes them durable with group commit.
 *
 * <p>Group commit: {@link #awaitDurable} returns at once if a sync already covers the LSN; otherwise the caller
 * takes the sync lock, and, if still needed, syncs up to the newest appended LSN, covering every record
 * appended so far with one flush. Callers that queued behind it find their LSN covered and return without a
 * flush of their own.
 *
 * <p>Failure: the first I/O failure of an append or a flush makes the log <em>failed</em>, for good (as
 * PostgreSQL panics after a failed fsync: the page cache may already have dropped the data, so a retried flush
 * could report success for records that never reached the disk). From then on no flush is tried again, every
 * caller of {@link #awaitDurable} whose record was not durable yet gets IO_ERROR, every append and every
 * {@link #checkHealthy} fails with IO_ERROR naming the first failure, and {@link #flush()} does nothing. The
 * engine turns this into a failed engine; only reopening recovers, from what is on disk.
 *
 * <p>Invariants: (1) {@code syncedLsn} only grows and every record at or below it is durable; (2) with {@code
 * syncWrites == false} (durability none) no caller ever waits for a flush; (3) a failed sync is reported as
 * IO_ERROR and nothing is marked durable; (4) {@code failure} is set at most once and never cleared; once it is
 * set, no append and no flush reaches the page log.
 *
 * <p>Thread safety: thread-safe. {@link #append} is called under the engine's commit lock (so LSN order is
 * commit order); {@link #awaitDurable} after it is released.
 */
public final class CommitLog {
    private static final Logger LOG = LoggerFactory.getLogger(CommitLog.class);

    private final PageLog pageLog;
    /** The page log as a {@link CopyingAppend}, if it is one. */
    private final @Nullable CopyingAppend copying;

    private final boolean syncWrites;
    private final ReentrantLock syncLock = new ReentrantLock();
    private volatile long appendedLsn;
    private volatile long syncedLsn;
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicReference<@Nullable StrataException> failure = new AtomicReference<>();

    @GuardedBy("syncLock")
    private long syncs;

    /** A thread parked until the record at {@code lsn} is durable. */
    private record Waiter(Thread thread, long lsn) {}

    public CommitLog(PageLog pageLog, boolean syncWrites) {
        this.pageLog = pageLog;
        this.copying = pageLog instanceof CopyingAppend c ? c : null;
        this.syncWrites = syncWrites;
    }

    /** Appends an entry; returns its LSN. */
    public long append(LogEntry e) {
        return appendEncoded(e.type().code(), LogCodec.encode(e));
    }

    /**
     * Appends a payload encoded beforehand (by {@link LogCodec}) with record type {@code typeCode}; returns its
     * LSN. Fails with IO_ERROR, appending nothing, once the log has failed.
     */
    public long appendEncoded(int typeCode, byte[] payload) {
        return append(typeCode, payload, payload.length, false);
    }

    /**
     * As {@link #appendEncoded(int, byte[])} for the payload {@code buf[0, length)} of a buffer the caller reuses
     * once this returns: a page log that copies appends ({@link CopyingAppend}) takes the range as it is, any
     * other gets an exact copy (it may keep the array it is given).
     */
    public long appendReused(int typeCode, byte[] buf, int length) {
        return append(typeCode, buf, length, true);
    }

    private long append(int typeCode, byte[] buf, int length, boolean reused) {
        checkHealthy();
        long lsn;
        try {
            CopyingAppend c = copying;
            if (c != null) {
                lsn = c.append(typeCode, buf, 0, length);
            } else {
                lsn = pageLog.append(typeCode, reused ? Arrays.copyOf(buf, length) : buf);
            }
        } catch (StrataException e) {
            if (e.code() == ErrorCode.IO_ERROR) {
                fail(e);
            }
            throw e;
        }
        appendedLsn = lsn;
        return lsn;
    }

    /** The first I/O failure of this log, or null while it is healthy. */
    public @Nullable StrataException failure() {
        return failure.get();
    }

    /** Fails with IO_ERROR naming the first failure if the log has failed. */
    public void checkHealthy() {
        StrataException f = failure.get();
        if (f != null) {
            throw failed(f, "operation refused");
        }
    }

    private static StrataException failed(StrataException first, String what) {
        return new StrataException(
                ErrorCode.IO_ERROR,
                what + ": the engine has failed and refuses every operation until it is reopened (recovery then"
                        + " restores what is on disk); the commit log's first I/O failure: " + first.getMessage(),
                first);
    }

    private void fail(StrataException e) {
        if (failure.compareAndSet(null, e)) {
            LOG.error("commit log of {} failed; the engine refuses every operation until it is reopened", pageLog, e);
        }
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
        Waiter me = new Waiter(Thread.currentThread(), lsn);
        while (syncedLsn < lsn) {
            StrataException f = failure.get();
            if (f != null) {
                throw failed(f, "the log record at LSN " + lsn + " is not acknowledged as durable");
            }
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
        } catch (RuntimeException e) {
            StrataException s = e instanceof StrataException se && se.code() != ErrorCode.IO_ERROR
                    ? se
                    : new StrataException(
                            ErrorCode.IO_ERROR,
                            "syncing the commit log to LSN " + target + " failed: " + e.getMessage(),
                            e);
            if (s.code() == ErrorCode.IO_ERROR) {
                fail(s);
                // the committer of this flush is not told its commit succeeded
                throw failed(s, "the log records up to LSN " + target + " are not acknowledged as durable");
            }
            throw s;
        }
        syncs++;
        syncedLsn = Math.max(syncedLsn, target);
    }

    /**
     * Wakes the waiters the last flush covered, and one it did not cover (if any) to lead the next flush; every
     * waiter once the log failed. Waking every waiter after each flush, as before, woke the uncovered ones only to
     * park again: a futex call each, on two cores a real share of a round. A waiter left parked is still woken
     * by the next flush (which covers it: it appended before parking), and its park is bounded by a timeout.
     */
    private void wakeWaiters() {
        long synced = syncedLsn;
        boolean all = failure.get() != null;
        boolean leaderWoken = false;
        for (Waiter w : waiters) {
            if (all || w.lsn() <= synced) {
                LockSupport.unpark(w.thread());
            } else if (!leaderWoken) {
                LockSupport.unpark(w.thread());
                leaderWoken = true;
            }
        }
    }

    /** Flushes everything appended (at close, also with durability none); does nothing once the log failed. */
    public void flush() {
        long a = appendedLsn;
        if (a > syncedLsn && failure.get() == null) {
            syncLock.lock();
            try {
                if (failure.get() == null) {
                    syncLocked(a);
                }
            } finally {
                syncLock.unlock();
                wakeWaiters();
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
