package io.stratadb.pagelog.bookkeeper;

import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.pagelog.bookkeeper.index.LogIndex;
import io.stratadb.pagelog.bookkeeper.meta.MetadataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A page log instance's cached list of completed checkpoints, keyed by LSN and refreshed from ZooKeeper only when
 * the ledgers say it changed.
 *
 * <p>Invariants: (1) {@code cversion} is the ZooKeeper child version of the completions znode the list was last
 * read at, or -1 when it must be read again; (2) {@code reclaimedLsn} is the index's reclaimed LSN when the list was
 * last brought up to date, and no listed completion is below it after a refresh; (3) a failed refresh changes
 * nothing.
 *
 * <p>Thread safety: not thread-safe; externally synchronized by the owning {@link BookKeeperPageLog}'s lock, which
 * every caller holds.
 */
final class CompletionList {
    private TreeMap<Long, CheckpointCompletion> byLsn = new TreeMap<>();

    private int cversion = -1;

    /** The index's {@link LogIndex#reclaimedLsn()} when {@link #byLsn} was last brought up to date. */
    private long reclaimedLsn;

    /**
     * Brings the list up to date after the ledgers were read into {@code index}. The completions are read after the
     * ledgers, and only when the ledgers say they changed: a completion's znode is created only after its COMPLETION
     * entry is durable and visible, and a reclaim, which deletes the znodes below its checkpoint, writes a RECLAIM
     * entry. So a reader with no new COMPLETION or RECLAIM entry skips the ZooKeeper round trip, and a reader never
     * lists a completion its reclaim made unreadable.
     */
    void refresh(MetadataStore meta, LogIndex index) {
        TreeMap<Long, CheckpointCompletion> cs = byLsn;
        long newestListed = cs.isEmpty() ? 0 : cs.lastKey();
        if (cversion < 0 || index.completionEntryLsn() > newestListed || index.reclaimedLsn() > reclaimedLsn) {
            int v = meta.completionsVersion();
            if (v != cversion || v < 0) {
                cs = new TreeMap<>();
                for (CheckpointCompletion c : meta.readCompletions()) {
                    cs.put(c.lsn(), c);
                }
                cversion = v;
            }
            if (!cs.isEmpty() && cs.firstKey() < index.reclaimedLsn()) {
                cs = new TreeMap<>(cs.tailMap(index.reclaimedLsn(), true));
            }
            reclaimedLsn = index.reclaimedLsn();
        }
        byLsn = cs;
    }

    /** Forgets the ZooKeeper version and reclaimed LSN, so the next refresh reads the list again. */
    void reset() {
        cversion = -1;
        reclaimedLsn = 0;
    }

    void put(long lsn, CheckpointCompletion c) {
        byLsn.put(lsn, c);
    }

    boolean isEmpty() {
        return byLsn.isEmpty();
    }

    /** The newest completion if {@code lsn} is 0, else the oldest at or above {@code lsn}. */
    Optional<CheckpointCompletion> select(long lsn) {
        Map.Entry<Long, CheckpointCompletion> e = lsn == 0 ? byLsn.lastEntry() : byLsn.ceilingEntry(lsn);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    List<CheckpointCompletion> all() {
        return new ArrayList<>(byLsn.values());
    }

    /** The LSN of the newest listed completion, or 0 if none. */
    long newestLsn() {
        return byLsn.isEmpty() ? 0 : byLsn.lastKey();
    }

    boolean contains(long lsn) {
        return byLsn.containsKey(lsn);
    }

    /** Drops the completions below {@code lsn}, after a reclaim deleted their znodes. */
    void dropBelow(long lsn) {
        byLsn.headMap(lsn, false).clear();
    }
}
