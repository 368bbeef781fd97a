package io.stratadb.engine.pagelog.file;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: callers of {@code sync(lsn)} share forces. A caller whose LSN a finished force already covers
 * returns at once; otherwise one caller (the leader of the round) writes everything pending and forces the
 * segment while the others wait, and every waiter the force covered returns.
 *
 * <p>Invariants: (1) {@code durableLsn} only grows, and every record at or below it is on stable storage; (2) at
 * most one force runs at a time; (3) a failed force fails the round's callers and marks the log broken (no
 * retry of a failed fsync: the page cache may already have dropped the data).
 *
 * <p>Thread safety: thread-safe.
 */
final class GroupCommit {
    /** Writes pending records; returns the LSN written up to and the channel to force. */
    interface Flusher {
        Flushed flush();

        /** Whether {@code ch} is still the segment being written (not rolled or reclaimed). */
        boolean isCurrent(FileChannel ch);
    }

    /** The outcome of a flush. */
    record Flushed(long lsn, FileChannel channel) {}

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();

    @GuardedBy("lock")
    private boolean forcing;

    private volatile long durableLsn;

    GroupCommit(String name) {
        this.name = name;
    }

    long durableLsn() {
        return durableLsn;
    }

    /** Makes every record up to {@code lsn} durable. */
    void sync(long lsn, Flusher flusher) {
        if (lsn <= durableLsn) {
            return;
        }
        lock.lock();
        try {
            while (durableLsn < lsn) {
                if (forcing) {
                    done.awaitUninterruptibly();
                    continue;
                }
                forcing = true;
                long reached;
                lock.unlock();
                try {
                    reached = flushAndForce(flusher);
                } finally {
                    lock.lock();
                    forcing = false;
                    done.signalAll();
                }
                if (reached > durableLsn) {
                    durableLsn = reached;
                }
                if (reached < lsn) {
                    return; // lsn was never assigned: everything there is is durable
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private long flushAndForce(Flusher flusher) {
        Flushed f = flusher.flush();
        try {
            SegmentWriter.force(f.channel());
        } catch (ClosedByInterruptException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "fsync of page log " + name + " was interrupted", e);
        } catch (ClosedChannelException e) {
            if (flusher.isCurrent(f.channel())) {
                throw new StrataException(ErrorCode.IO_ERROR, "page log " + name + ": segment closed before fsync", e);
            }
            // the segment was rolled (and forced at the roll) and then closed by a reclaim: its records are durable
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "fsync of page log " + name + " failed", e);
        }
        return f.lsn();
    }
}
