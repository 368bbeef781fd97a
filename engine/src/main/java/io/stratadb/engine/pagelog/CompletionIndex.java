package io.stratadb.engine.pagelog;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The retained checkpoint completions, with the selector rules of {@link
 * io.stratadb.api.pagelog.PageLog#completedCheckpoint(long)}.
 *
 * <p>Invariants: keyed and ordered by completion LSN.
 *
 * <p>Thread safety: lock-free reads; mutations externally serialized.
 */
public final class CompletionIndex {
    private final ConcurrentSkipListMap<Long, CheckpointCompletion> byLsn = new ConcurrentSkipListMap<>();

    /** Adds a completion. */
    public void add(CheckpointCompletion c) {
        byLsn.put(c.lsn(), c);
    }

    /** 0 = the newest; an exact LSN = that one; between two = the next above; above the newest = empty. */
    public Optional<CheckpointCompletion> select(long lsn) {
        if (lsn < 0) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "checkpoint selector LSN " + lsn + " is negative");
        }
        Map.Entry<Long, CheckpointCompletion> e = lsn == 0 ? byLsn.lastEntry() : byLsn.ceilingEntry(lsn);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** The newest completion's LSN, or 0. */
    public long newestLsn() {
        Map.Entry<Long, CheckpointCompletion> e = byLsn.lastEntry();
        return e == null ? 0 : e.getKey();
    }

    /** Every retained completion, oldest first. */
    public List<CheckpointCompletion> all() {
        return new ArrayList<>(byLsn.values());
    }

    /** Removes completions above {@code lsn}; returns how many. */
    public int removeAbove(long lsn) {
        var tail = byLsn.tailMap(lsn, false);
        int n = tail.size();
        tail.clear();
        return n;
    }

    /** Removes completions below {@code lsn} (reclaimed: their pages may be gone). */
    public void removeBelow(long lsn) {
        byLsn.headMap(lsn, false).clear();
    }
}
