package io.stratadb.engine.pagelog;

import com.google.errorprone.annotations.Immutable;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The retained records of one page id, oldest first: every full image, delta and discard not yet reclaimed or
 * abandoned, including deltas that a retried delta replaced (reads at older LSNs still need them).
 *
 * <p>Invariants: (1) entries are sorted by strictly increasing LSN; (2) never empty; (3) {@code truncated} is
 * true once older entries were reclaimed, so the oldest full image's backlink may name a record that is gone.
 *
 * <p>Thread safety: immutable; a new history replaces the old one in its {@link TableIndex}.
 */
@Immutable
@SuppressWarnings("Immutable") // the array is never mutated after construction
public final class PageHistory {
    private final PageEntry[] entries;
    private final boolean truncated;

    private PageHistory(PageEntry[] entries, boolean truncated) {
        this.entries = entries;
        this.truncated = truncated;
    }

    /** A history holding one entry. */
    public static PageHistory of(PageEntry first) {
        return new PageHistory(new PageEntry[] {first}, false);
    }

    /** The number of retained entries. */
    public int size() {
        return entries.length;
    }

    /** The entry at {@code i} (0 = oldest). */
    public PageEntry at(int i) {
        return entries[i];
    }

    /** Whether older entries were reclaimed. */
    public boolean truncated() {
        return truncated;
    }

    /** The newest entry. */
    public PageEntry newest() {
        return entries[entries.length - 1];
    }

    /** The index of the newest entry with LSN at or below {@code atLsn} (0 = newest), or -1. */
    public int indexAtOrBelow(long atLsn) {
        if (atLsn == 0) {
            return entries.length - 1;
        }
        int lo = 0;
        int hi = entries.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].lsn() <= atLsn) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The newest entry at or below {@code atLsn} (0 = newest), or null. */
    public @Nullable PageEntry newestAtOrBelow(long atLsn) {
        int i = indexAtOrBelow(atLsn);
        return i < 0 ? null : entries[i];
    }

    /** The index of the entry with exactly this LSN, or -1. */
    public int indexOf(long lsn) {
        int i = indexAtOrBelow(lsn);
        return i >= 0 && entries[i].lsn() == lsn ? i : -1;
    }

    /** This history plus {@code entry}; an entry with the same LSN is replaced (a relocated record). */
    public PageHistory with(PageEntry entry) {
        int i = indexAtOrBelow(entry.lsn());
        if (i >= 0 && entries[i].lsn() == entry.lsn()) {
            PageEntry[] copy = entries.clone();
            copy[i] = entry;
            return new PageHistory(copy, truncated);
        }
        PageEntry[] copy = new PageEntry[entries.length + 1];
        System.arraycopy(entries, 0, copy, 0, i + 1);
        copy[i + 1] = entry;
        System.arraycopy(entries, i + 1, copy, i + 2, entries.length - i - 1);
        return new PageHistory(copy, truncated);
    }

    /** This history, marked as missing older (reclaimed) records. */
    public PageHistory asTruncated() {
        return truncated ? this : new PageHistory(entries, true);
    }

    /**
     * This history without entries above {@code lsn}, or null if nothing remains. Unlike a read's LSN, {@code
     * lsn} 0 is not "newest": abandoning above 0 (no checkpoint ever completed) removes every entry.
     */
    public @Nullable PageHistory withoutAbove(long lsn) {
        int i = lsn <= 0 ? -1 : indexAtOrBelow(lsn);
        if (i == entries.length - 1) {
            return this;
        }
        return i < 0 ? null : new PageHistory(Arrays.copyOf(entries, i + 1), truncated);
    }

    /**
     * This history without the entries no read at or after {@code checkpointLsn} needs, or null if nothing
     * remains: below the full image of the chain visible at the checkpoint; everything up to a discard that is
     * the visible entry there.
     */
    public @Nullable PageHistory reclaim(long checkpointLsn) {
        int i = indexAtOrBelow(checkpointLsn);
        if (i < 0) {
            return this;
        }
        PageEntry visible = entries[i];
        int keepFrom;
        if (visible.isDiscard()) {
            keepFrom = i + 1;
        } else {
            long fullLsn = visible.isFull() ? visible.lsn() : visible.baseLsn();
            int f = indexOf(fullLsn);
            keepFrom = f < 0 ? i : f;
        }
        if (keepFrom == 0) {
            return this;
        }
        if (keepFrom >= entries.length) {
            return null;
        }
        return new PageHistory(Arrays.copyOfRange(entries, keepFrom, entries.length), true);
    }
}
