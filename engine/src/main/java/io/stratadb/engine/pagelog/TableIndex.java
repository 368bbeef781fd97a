package io.stratadb.engine.pagelog;

import io.stratadb.api.pagelog.PageLogTableStats;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The page index of one table: page id to its {@link PageHistory}, so that a read finds a chain without scanning.
 *
 * <p>Invariants: (1) every history is non-empty; (2) a history only changes by being replaced as a whole.
 *
 * <p>Thread safety: reads are lock-free and see each page's history atomically; mutations must be serialized
 * by the owning backend (its writer lock, or its single tailing thread).
 */
public final class TableIndex {
    private final long tableId;
    private final ConcurrentHashMap<Long, PageHistory> pages = new ConcurrentHashMap<>();

    public TableIndex(long tableId) {
        this.tableId = tableId;
    }

    /** The table id. */
    public long tableId() {
        return tableId;
    }

    /** The history of {@code pageId}, or null. */
    public @Nullable PageHistory history(long pageId) {
        return pages.get(pageId);
    }

    /** The verified chain of {@code pageId} at {@code atLsn}; see {@link ChainVerifier#chain}. */
    public List<PageEntry> chain(long pageId, long atLsn) {
        return ChainVerifier.chain(tableId, pageId, pages.get(pageId), atLsn);
    }

    /** Adds (or relocates, when the LSN exists) an entry. Externally serialized. */
    public void add(PageEntry entry) {
        pages.compute(entry.pageId(), (k, h) -> h == null ? PageHistory.of(entry) : h.with(entry));
    }

    /**
     * Adds (or relocates) an entry that survived a reclaim: records older than it may be gone, so the chain
     * check does not expect them. Externally serialized.
     */
    public void addSurvivor(PageEntry entry) {
        pages.compute(entry.pageId(), (k, h) -> (h == null ? PageHistory.of(entry) : h.with(entry)).asTruncated());
    }

    /** Removes entries above {@code lsn}; returns how many were removed. Externally serialized. */
    public int removeAbove(long lsn) {
        int removed = 0;
        for (Map.Entry<Long, PageHistory> e : pages.entrySet()) {
            PageHistory h = e.getValue();
            if (h.newest().lsn() <= lsn) {
                continue;
            }
            PageHistory kept = h.withoutAbove(lsn);
            removed += h.size() - (kept == null ? 0 : kept.size());
            if (kept == null) {
                pages.remove(e.getKey());
            } else {
                e.setValue(kept);
            }
        }
        return removed;
    }

    /** Drops records no read at or after {@code checkpointLsn} needs. Externally serialized. */
    public void reclaim(long checkpointLsn) {
        for (Map.Entry<Long, PageHistory> e : pages.entrySet()) {
            PageHistory h = e.getValue();
            PageHistory kept = h.reclaim(checkpointLsn);
            if (kept == null) {
                pages.remove(e.getKey());
            } else if (kept != h) {
                e.setValue(kept);
            }
        }
    }

    /** Page ids with a visible, non-discarded record at {@code atLsn} (0 = newest), ascending. */
    public long[] pageIds(long atLsn) {
        long[] ids = new long[pages.size() + 8];
        int n = 0;
        for (Map.Entry<Long, PageHistory> e : pages.entrySet()) {
            PageEntry visible = e.getValue().newestAtOrBelow(atLsn);
            if (visible != null && !visible.isDiscard()) {
                if (n == ids.length) {
                    ids = Arrays.copyOf(ids, n * 2);
                }
                ids[n++] = e.getKey();
            }
        }
        long[] result = Arrays.copyOf(ids, n);
        Arrays.sort(result);
        return result;
    }

    /** Every retained entry, for a backend that copies live records forward. */
    public Iterable<PageHistory> histories() {
        return pages.values();
    }

    /** Sizes of what this table stores. */
    public PageLogTableStats stats() {
        long live = 0;
        long full = 0;
        long deltas = 0;
        long discards = 0;
        long bytes = 0;
        for (PageHistory h : pages.values()) {
            if (!h.newest().isDiscard()) {
                live++;
            }
            for (int i = 0; i < h.size(); i++) {
                PageEntry e = h.at(i);
                switch (e.kind()) {
                    case FULL -> full++;
                    case DELTA -> deltas++;
                    case DISCARD -> discards++;
                }
                bytes += e.size();
            }
        }
        return new PageLogTableStats(tableId, live, full, deltas, discards, bytes);
    }
}
