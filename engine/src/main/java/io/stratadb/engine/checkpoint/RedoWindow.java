package io.stratadb.engine.checkpoint;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.GlobalTxnId;
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
 * {@link #replayFrom} gives the smallest such LSN and forgets the ones the checkpoint covers. Heuristic outcomes
 * live only in the log, so the LSN of the newest HEURISTIC record of every outcome not yet forgotten also holds
 * the replay start back (a rollback to stable re-logs them as reminders, so the pin moves past it).
 *
 * <p>Invariants: (1) every tracked entry's start LSN is the LSN recovery needs to begin at to rebuild it; (2)
 * an entry is dropped only once a checkpoint covers it (checkpoint timestamps and consistent points never move
 * back, so later checkpoints cover it too); (3) rollback-to-stable drops every entry (it aborts all updates
 * newer than stable and needs no live transactions, so nothing before it must be replayed; the heuristic
 * reminders logged right after it pin again); (4) the replay start is at or before the HEURISTIC record of every
 * outcome not yet forgotten.
 *
 * <p>Thread safety: thread-safe (one monitor); fed under the engine's commit lock.
 */
public final class RedoWindow {
    /** A tracked record: resolved at {@code resolvedLsn} (0 while prepared) with {@code durableTs}. */
    private static final class Entry {
        long resolvedLsn;
        long durableTs;
    }

    @GuardedBy("this")
    private final TreeMap<Long, Entry> open = new TreeMap<>();

    @GuardedBy("this")
    private final Map<Long, Long> preparedStart = new HashMap<>();

    @GuardedBy("this")
    private final Map<GlobalTxnId, Long> heuristicPins = new HashMap<>();

    /** A HEURISTIC record (completion or reminder) of {@code xid} at {@code lsn}. */
    public synchronized void heuristic(GlobalTxnId xid, long lsn) {
        heuristicPins.put(xid, lsn);
    }

    /** A FORGET_HEURISTIC record of {@code xid}. */
    public synchronized void forgotten(GlobalTxnId xid) {
        heuristicPins.remove(xid);
    }

    /** An ordinary commit record at {@code lsn}. */
    public synchronized void committed(long lsn, long durableTs) {
        Entry e = new Entry();
        e.resolvedLsn = lsn;
        e.durableTs = durableTs;
        open.put(lsn, e);
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
        open.clear();
        preparedStart.clear();
        heuristicPins.clear();
    }

    /**
     * The first LSN a checkpoint with consistent point {@code pointLsn} at {@code checkpointTs} must replay
     * from ({@code pointLsn + 1} when it covers everything); forgets the covered entries.
     */
    public synchronized long replayFrom(long pointLsn, long checkpointTs) {
        long from = pointLsn + 1;
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
        for (long pin : heuristicPins.values()) {
            from = Math.min(from, pin);
        }
        return from;
    }

    /** Entries tracked (tests). */
    synchronized int size() {
        return open.size();
    }
}
