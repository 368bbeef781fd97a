package io.stratadb.engine;

import io.stratadb.api.pagelog.FencedException;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.engine.testing.ForwardingPageLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A page log that forwards to a real one until it is armed; from then on it behaves like a disk whose fsync
 * failed and lost what was written since: every {@link #sync} fails with an unchecked I/O error, and log
 * records appended are dropped (they get LSNs but never reach the real log). It counts the appends that
 * reach the real log.
 *
 * <p>Invariants: (1) while not armed it behaves exactly like the wrapped log; (2) LSNs it hands out only grow.
 *
 * <p>Thread safety: thread-safe.
 */
final class FaultyPageLog extends ForwardingPageLog {
    private final AtomicBoolean failSyncs = new AtomicBoolean();
    /** 0: not fenced; 1: fenced, appends lost; 2: fenced, appends kept. */
    private final AtomicInteger fence = new AtomicInteger();

    private final AtomicInteger appends = new AtomicInteger();
    private final AtomicInteger failedSyncs = new AtomicInteger();
    private final AtomicLong lastLsn = new AtomicLong();

    FaultyPageLog(PageLog real) {
        super(real);
    }

    /**
     * From now on the log behaves as if another node had claimed it: every sync fails with a {@link
     * FencedException}. With {@code recordsKept} the records appended (and those a sync was asked for) still
     * reach the real log, as a BookKeeper entry that reached a bookie is kept by the new owner's recovery, and
     * the exception says so; without, appends are lost, as the {@code file:} backend drops them.
     */
    void fenceSyncs(boolean recordsKept) {
        fence.set(recordsKept ? 2 : 1);
    }

    /** From now on every sync fails and every log append is lost. */
    void failSyncs() {
        failSyncs.set(true);
    }

    /** Log appends forwarded so far. */
    int appends() {
        return appends.get();
    }

    /** Syncs that failed so far. */
    int failedSyncs() {
        return failedSyncs.get();
    }

    @Override
    public long append(int type, byte[] payload) {
        if (failSyncs.get() || fence.get() == 1) {
            // lost, as unsynced data may be after a failed fsync: a fresh LSN that never reaches the disk
            return lastLsn.updateAndGet(l -> Math.max(l, real.lastLsn()) + 1);
        }
        long lsn = real.append(type, payload);
        lastLsn.accumulateAndGet(lsn, Math::max);
        appends.incrementAndGet();
        return lsn;
    }

    @Override
    public void sync(long lsn) {
        int f = fence.get();
        if (f != 0) {
            if (f == 2) {
                real.sync(Math.min(lsn, real.lastLsn())); // the records are in the log all the same
            }
            throw new FencedException(1, 2, "node-elsewhere", f == 2);
        }
        if (failSyncs.get()) {
            failedSyncs.incrementAndGet();
            throw new UncheckedIOException(new IOException("injected fsync failure at LSN " + lsn));
        }
        real.sync(lsn);
    }

    @Override
    public String toString() {
        return "FaultyPageLog[" + real + "]";
    }
}
