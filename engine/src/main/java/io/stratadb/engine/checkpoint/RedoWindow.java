package io.stratadb.engine.checkpoint;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The log records a checkpoint does not cover, by the LSN recovery must replay them from.
 *
 * <p>A record's effects are in a checkpoint iff its transaction was resolved at or before the checkpoint's
 * consistent point and its durable timestamp is at or below the checkpoint timestamp. Commit records that
 * missed a checkpoint because their durable timestamp was too new, and prepare records of transactions not
 * resolved into it, must be replayed after a restart, even though their LSNs lie below the consistent point.
 * This window tracks them (keyed by the LSN of their first record: the commit record, or the prepare record);
 * {@link #replayFrom} gives the smallest such LSN and forgets the ones the checkpoint covers.
 *
 * <p>Ordinary commits, one per committed transaction and fed in LSN order under the commit lock, are kept in
 * runs of up to {@link #RUN} consecutive commits (first LSN, last LSN, largest durable timestamp) rather than one
 * entry each, so that tracking costs no allocation per commit. A run is dropped when a checkpoint covers all of
 * it; otherwise replay starts at its first LSN, which may replay up to {@code RUN - 1} commits the checkpoint
 * already holds: recovery skips those ({@code LogReplayer} applies no commit at or below the consistent point
 * durable at or below the checkpoint timestamp).
 *
 * <p>Invariants: (1) every tracked entry's start LSN is at or below the LSN recovery needs to begin at to
 * rebuild it; (2) an entry is dropped only once a checkpoint covers it (checkpoint timestamps and consistent
 * points never move back, so later checkpoints cover it too); (3) rollback-to-stable drops every entry (it
 * aborts all updates newer than stable and needs no live transactions, so nothing before it must be
 * replayed); (4) runs are in LSN order and do not overlap.
 *
 * <p>Thread safety: thread-safe (one monitor); fed under the engine's commit lock.
 */
public final class RedoWindow {
    /** The most ordinary commits one run holds. */
    static final int RUN = 256;

    /** Consecutive ordinary commits: LSNs {@code [first, last]}, durable at or below {@code maxDurable}. */
    private static final class Run {
        final long first;
        long last;
        long maxDurable;
        int count;

        Run(long first, long durableTs) {
            this.first = first;
            this.last = first;
            this.maxDurable = durableTs;
            this.count = 1;
        }
    }

    @GuardedBy("this")
    private final ArrayDeque<Run> runs = new ArrayDeque<>();

    /** A tracked record: resolved at {@code resolvedLsn} (0 while prepared) with {@code durableTs}. */
    private static final class Entry {
        long resolvedLsn;
        long durableTs;
    }

    @GuardedBy("this")
    private final TreeMap<Long, Entry> open = new TreeMap<>();

    @GuardedBy("this")
    private final Map<Long, Long> preparedStart = new HashMap<>();

    /** An ordinary commit record at {@code lsn} (LSNs of successive calls increase). */
    public synchronized void committed(long lsn, long durableTs) {
        Run r = runs.peekLast();
        if (r != null && r.count < RUN && r.last < lsn) {
            r.last = lsn;
            r.maxDurable = Math.max(r.maxDurable, durableTs);
            r.count++;
        } else {
            runs.addLast(new Run(lsn, durableTs));
        }
    }

    /** The prepare record of transaction {@code txnId} at {@code lsn}. */
    public synchronized void prepared(long txnId, long lsn) {
        open.put(lsn, new Entry());
        preparedStart.put(txnId, lsn);
    }

    /** The resolution of a prepared transaction at {@code lsn} (durable 0 for a rollback). */
    public synchronized void resolved(long txnId, long lsn, long durableTs) {
        Long start = preparedStart.remove(txnId);
        if (start == null) {
            return;
        }
        Entry e = open.get(start);
        if (e != null) {
            e.resolvedLsn = lsn;
            e.durableTs = durableTs;
        }
    }

    /** A rollback-to-stable: nothing before it needs replay any more. */
    public synchronized void rolledBackToStable() {
        runs.clear();
        open.clear();
        preparedStart.clear();
    }

    /**
     * The first LSN a checkpoint with consistent point {@code pointLsn} at {@code checkpointTs} must replay
     * from ({@code pointLsn + 1} when it covers everything); forgets the covered entries.
     */
    public synchronized long replayFrom(long pointLsn, long checkpointTs) {
        long from = pointLsn + 1;
        for (Iterator<Run> it = runs.iterator(); it.hasNext(); ) {
            Run r = it.next();
            if (r.last <= pointLsn && r.maxDurable <= checkpointTs) {
                it.remove();
            } else {
                from = Math.min(from, r.first);
            }
        }
        for (Iterator<Map.Entry<Long, Entry>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Entry> me = it.next();
            Entry e = me.getValue();
            boolean covered = e.resolvedLsn != 0 && e.resolvedLsn <= pointLsn && e.durableTs <= checkpointTs;
            if (covered) {
                it.remove();
            } else {
                from = Math.min(from, me.getKey());
            }
        }
        return from;
    }

    /** Entries tracked: runs of ordinary commits and prepared transactions (tests). */
    synchronized int size() {
        return runs.size() + open.size();
    }
}
