package io.stratadb.engine.checkpoint;

import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Makes a checkpoint sync its own page records in bounded pieces: after every {@link #CHUNK} bytes of page
 * records the checkpoint thread puts, it syncs the page log itself. Page records and commit records share the
 * page log's files and its group commit, so without this a durable commit's flush would also have to write out
 * every page record put since the last flush: megabytes while a checkpoint writes, and commits stalled for
 * hundreds of milliseconds. With it, a commit's flush carries at most about one piece of page data.
 *
 * <p>Only the thread between {@link #begin()} and {@link #end()} (the checkpoint) is paced; other threads that
 * write pages through the same handles (eviction) are not made to wait for a sync.
 *
 * <p>Invariants: (1) the paced thread never has more than {@link #CHUNK} bytes of page records put since its last
 * sync, plus one record; (2) pacing adds syncs only: what is durable, and when a checkpoint completes, is
 * unchanged.
 *
 * <p>Thread safety: thread-safe; the byte count is touched only by the paced thread.
 */
public final class SyncPacer {
    /** Page-record bytes between two syncs of the checkpoint thread. */
    static final int CHUNK = 256 << 10;

    private static final int FRAME_OVERHEAD = 64;

    private final PageLog pageLog;
    private volatile @Nullable Thread paced;
    private long bytes;
    private long syncs;

    SyncPacer(PageLog pageLog) {
        this.pageLog = pageLog;
    }

    /** Paces the calling thread until {@link #end()}. */
    void begin() {
        bytes = 0;
        paced = Thread.currentThread();
    }

    /** Stops pacing. */
    void end() {
        paced = null;
    }

    /** Syncs run by pacing so far (for tests). */
    long syncs() {
        return syncs;
    }

    /** {@code h}, with puts of the paced thread counted and synced every {@link #CHUNK} bytes. */
    PageLogHandle wrap(PageLogHandle h) {
        if (h instanceof Paced) {
            return h;
        }
        return new Paced(h);
    }

    private void wrote(long lsn, int payloadBytes) {
        if (Thread.currentThread() != paced) {
            return;
        }
        bytes += payloadBytes + FRAME_OVERHEAD;
        if (bytes >= CHUNK) {
            bytes = 0;
            syncs++;
            pageLog.sync(lsn);
        }
    }

    /** A handle that reports its puts to the pacer. */
    private final class Paced implements PageLogHandle {
        private final PageLogHandle delegate;

        Paced(PageLogHandle delegate) {
            this.delegate = delegate;
        }

        @Override
        public long tableId() {
            return delegate.tableId();
        }

        @Override
        public long put(long pageId, PutArgs args, byte[] payload) {
            long lsn = delegate.put(pageId, args, payload);
            wrote(lsn, payload.length);
            return lsn;
        }

        @Override
        public List<PageRecord> get(long pageId, long atLsn) {
            return delegate.get(pageId, atLsn);
        }

        @Override
        public long discard(long pageId, long backlinkLsn, long baseLsn) {
            return delegate.discard(pageId, backlinkLsn, baseLsn);
        }

        @Override
        public long[] pageIds(long atLsn) {
            return delegate.pageIds(atLsn);
        }
    }
}
