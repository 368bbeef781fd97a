package io.stratadb.pagelog.bookkeeper.index;

import io.stratadb.api.pagelog.PageLogTableStats;
import io.stratadb.api.pagelog.PageRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One node's view of a page log: every retained page record (by table and page id) and log record, where each is
 * stored, and the highest LSN seen. Built by replaying the ledgers in order, and updated in place by the writer.
 *
 * <p>Invariants: (1) {@link #maxLsn()} never decreases; (2) applying the same sequence of entries to two empty
 * indexes gives equal indexes (replay is deterministic); (3) {@code bytesIn(ledger)} counts every payload byte
 * ever applied from that ledger, {@code liveIn} only those still retained.
 *
 * <p>Thread safety: not thread-safe; the page log guards it with its lock.
 */
public final class LogIndex {
    private final Map<Long, TreeMap<Long, PageVersions>> tables = new TreeMap<>();
    private final TreeMap<Long, LogRef> logs = new TreeMap<>();
    private final Map<Long, Long> bytesWritten = new HashMap<>();
    private long maxLsn;
    private long completionEntryLsn;
    private long reclaimedLsn;

    /** The highest LSN seen, including abandoned and reclaimed records. */
    public long maxLsn() {
        return maxLsn;
    }

    /** Raises {@link #maxLsn()} to at least {@code lsn}. */
    public void seen(long lsn) {
        maxLsn = Math.max(maxLsn, lsn);
    }

    /** Notes a replayed {@code COMPLETION} entry at {@code lsn} (its checkpoint counts once ZooKeeper has it). */
    public void completionEntry(long lsn) {
        seen(lsn);
        completionEntryLsn = Math.max(completionEntryLsn, lsn);
    }

    /**
     * The newest {@code COMPLETION} entry replayed and not abandoned since: a reader whose list of published
     * completions ends below it has not seen that completion's znode yet (or never will, if its writer died).
     */
    public long completionEntryLsn() {
        return completionEntryLsn;
    }

    /** The newest checkpoint LSN a {@code RECLAIM} applied here named (0 if none). */
    public long reclaimedLsn() {
        return reclaimedLsn;
    }

    /** The records of a page, or null. */
    public @Nullable PageVersions page(long table, long pageId) {
        TreeMap<Long, PageVersions> t = tables.get(table);
        return t == null ? null : t.get(pageId);
    }

    /**
     * Adds (or relocates) a page record of {@code table}. A {@code copy} (a record rewritten by reclaim) marks the
     * page's history truncated: the records before it may be gone.
     */
    public void putPage(long table, long pageId, PageVersion v, boolean copy) {
        PageVersions p =
                tables.computeIfAbsent(table, k -> new TreeMap<>()).computeIfAbsent(pageId, k -> new PageVersions());
        p.put(v);
        if (copy) {
            p.markTruncated();
        }
        count(v.location(), v.size());
        seen(v.lsn());
    }

    /** Adds (or relocates) a log record. */
    public void putLog(LogRef r) {
        logs.put(r.lsn(), r);
        count(r.location(), r.payload().length);
        seen(r.lsn());
    }

    private void count(Location where, int bytes) {
        bytesWritten.merge(where.ledgerId(), (long) bytes + 1, Long::sum);
    }

    /** Drops every page record above {@code lsn} (log records stay), and any completion entry above it. */
    public void abandonAbove(long lsn) {
        completionEntryLsn = Math.min(completionEntryLsn, lsn);
        for (TreeMap<Long, PageVersions> t : tables.values()) {
            Iterator<PageVersions> it = t.values().iterator();
            while (it.hasNext()) {
                PageVersions p = it.next();
                p.removeAbove(lsn);
                if (p.size() == 0) {
                    it.remove();
                }
            }
        }
    }

    /** Whether any page record lies above {@code lsn}. */
    public boolean hasPagesAbove(long lsn) {
        for (TreeMap<Long, PageVersions> t : tables.values()) {
            for (PageVersions p : t.values()) {
                if (p.newest().lsn() > lsn) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Drops what no read at or after the checkpoint {@code lsn} needs (see {@link PageVersions#reclaim}). */
    public void reclaim(long lsn) {
        reclaimedLsn = Math.max(reclaimedLsn, lsn);
        for (TreeMap<Long, PageVersions> t : tables.values()) {
            Iterator<PageVersions> it = t.values().iterator();
            while (it.hasNext()) {
                PageVersions p = it.next();
                p.reclaim(lsn);
                if (p.size() == 0) {
                    it.remove();
                }
            }
        }
        logs.headMap(lsn, true).clear();
    }

    /** Log records after {@code afterLsn}, oldest first, at most {@code max}. */
    public List<LogRef> logsAfter(long afterLsn, int max) {
        List<LogRef> out = new ArrayList<>(Math.min(max, 64));
        for (LogRef r : logs.tailMap(afterLsn, false).values()) {
            if (out.size() == max) {
                break;
            }
            out.add(r);
        }
        return out;
    }

    /** Page ids of {@code table} with a record at or below {@code atLsn} (0 = newest) that is not a discard. */
    public long[] pageIds(long table, long atLsn) {
        TreeMap<Long, PageVersions> t = tables.get(table);
        if (t == null) {
            return new long[0];
        }
        long[] out = new long[t.size()];
        int n = 0;
        for (Map.Entry<Long, PageVersions> e : t.entrySet()) {
            int i = e.getValue().indexAtOrBelow(atLsn);
            if (i >= 0 && !e.getValue().at(i).isDiscard()) {
                out[n++] = e.getKey();
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Sizes per table, ordered by table id. */
    public List<PageLogTableStats> stats() {
        List<PageLogTableStats> out = new ArrayList<>();
        for (Map.Entry<Long, TreeMap<Long, PageVersions>> t : tables.entrySet()) {
            long pages = 0;
            long full = 0;
            long deltas = 0;
            long discards = 0;
            long bytes = 0;
            for (PageVersions p : t.getValue().values()) {
                if (!p.newest().isDiscard()) {
                    pages++;
                }
                for (int i = 0; i < p.size(); i++) {
                    PageVersion v = p.at(i);
                    bytes += v.size();
                    if (v.kind() == PageRecord.Kind.FULL) {
                        full++;
                    } else if (v.kind() == PageRecord.Kind.DELTA) {
                        deltas++;
                    } else {
                        discards++;
                    }
                }
            }
            if (full + deltas + discards > 0) {
                out.add(new PageLogTableStats(t.getKey(), pages, full, deltas, discards, bytes));
            }
        }
        return out;
    }

    /** Payload bytes (plus one per record) ever applied from {@code ledgerId}. */
    public long bytesIn(long ledgerId) {
        return bytesWritten.getOrDefault(ledgerId, 0L);
    }

    /** Retained records stored in {@code ledgerId}: page records as (table, page, version), and log records. */
    public Retained retainedIn(long ledgerId) {
        List<PageAt> pages = new ArrayList<>();
        List<LogRef> logRefs = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<Long, TreeMap<Long, PageVersions>> t : tables.entrySet()) {
            for (Map.Entry<Long, PageVersions> p : t.getValue().entrySet()) {
                for (int i = 0; i < p.getValue().size(); i++) {
                    PageVersion v = p.getValue().at(i);
                    if (v.location().ledgerId() == ledgerId) {
                        pages.add(new PageAt(t.getKey(), p.getKey(), v));
                        bytes += v.size() + 1L;
                    }
                }
            }
        }
        for (LogRef r : logs.values()) {
            if (r.location().ledgerId() == ledgerId) {
                logRefs.add(r);
                bytes += r.payload().length + 1L;
            }
        }
        return new Retained(pages, logRefs, bytes);
    }

    /** Log records, by LSN (read-only view). */
    public NavigableMap<Long, LogRef> logs() {
        return java.util.Collections.unmodifiableNavigableMap(logs);
    }

    /**
     * A page record with its table and page id.
     *
     * @param table table id
     * @param pageId page id
     * @param version the record
     */
    public record PageAt(long table, long pageId, PageVersion version) {}

    /**
     * What a ledger still holds that a read may need.
     *
     * @param pages page records
     * @param logs log records
     * @param bytes their payload bytes plus one per record
     */
    public record Retained(List<PageAt> pages, List<LogRef> logs, long bytes) {
        /** Whether nothing is retained. */
        public boolean isEmpty() {
            return pages.isEmpty() && logs.isEmpty();
        }
    }
}
