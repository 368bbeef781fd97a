package io.stratadb.engine.pagelog;

import io.stratadb.api.pagelog.PageLogTableStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The page index of a whole page log: one {@link TableIndex} per table id that has records.
 *
 * <p>Invariants: a table index, once created, stays (it may become empty).
 *
 * <p>Thread safety: as {@link TableIndex}: lock-free reads, externally serialized mutations.
 */
public final class PageIndex {
    private final ConcurrentSkipListMap<Long, TableIndex> tables = new ConcurrentSkipListMap<>();

    /** The index of {@code tableId}, created if missing. */
    public TableIndex table(long tableId) {
        TableIndex t = tables.get(tableId);
        return t != null ? t : tables.computeIfAbsent(tableId, TableIndex::new);
    }

    /** Every table index, by ascending table id. */
    public Collection<TableIndex> tables() {
        return tables.values();
    }

    /** Removes every page record above {@code lsn}; returns how many. Externally serialized. */
    public int removeAbove(long lsn) {
        int n = 0;
        for (TableIndex t : tables.values()) {
            n += t.removeAbove(lsn);
        }
        return n;
    }

    /** Reclaims records no read at or after {@code checkpointLsn} needs. Externally serialized. */
    public void reclaim(long checkpointLsn) {
        for (TableIndex t : tables.values()) {
            t.reclaim(checkpointLsn);
        }
    }

    /** Stats of every table with records. */
    public List<PageLogTableStats> stats() {
        List<PageLogTableStats> out = new ArrayList<>();
        for (TableIndex t : tables.values()) {
            PageLogTableStats s = t.stats();
            if (s.fullImages() + s.deltas() + s.discards() > 0) {
                out.add(s);
            }
        }
        return out;
    }
}
