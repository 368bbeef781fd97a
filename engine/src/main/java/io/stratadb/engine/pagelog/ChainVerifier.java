package io.stratadb.engine.pagelog;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PutArgs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The chain rules of {@link io.stratadb.api.pagelog.PageLogHandle}, checked before a put or discard is written
 * and on every read.
 *
 * <p>Rules (the newest entry of a page id at some LSN, followed down its backlinks to a full image, is its
 * <em>chain</em>):
 *
 * <ol>
 *   <li>exactly one full image, at the bottom, with base 0;
 *   <li>a full image's backlink is the newest full image of the page id below it, or 0 when the page id is new
 *       or a discard lies between that full image and it (a reused id restarts with backlink 0);
 *   <li>every delta's base is the chain's full image; a new delta's backlink is the newest entry, or (a retried
 *       write) the backlink of the newest entry, a delta, which it then replaces;
 *   <li>at most one discard, only as the newest entry, with base = the chain's full image and a backlink
 *       naming an entry of the chain.
 * </ol>
 *
 * <p>Invariants: a failed check throws before anything is written; put and discard checks fail with {@code
 * INVALID_ARGUMENT}, read checks with {@code CORRUPTION}, each naming table, page and LSNs.
 *
 * <p>Thread safety: stateless.
 */
public final class ChainVerifier {
    private ChainVerifier() {}

    /** Checks a put of {@code args} on page {@code pageId}, whose retained records are {@code history}. */
    public static void checkPut(long tableId, long pageId, @Nullable PageHistory history, PutArgs args) {
        if (pageId < 0) {
            throw invalid(tableId, pageId, "page id must not be negative");
        }
        if (!args.delta()) {
            if (args.baseLsn() != 0) {
                throw invalid(tableId, pageId, "a full image must have base 0, got base " + args.baseLsn());
            }
            long expected = expectedFullBacklink(history, history == null ? 0 : history.size());
            if (args.backlinkLsn() != expected) {
                throw invalid(
                        tableId,
                        pageId,
                        "full image backlink " + args.backlinkLsn() + " must be " + expected
                                + (expected == 0
                                        ? " (the page id is new or was discarded)"
                                        : " (the previous full image)"));
            }
            return;
        }
        PageEntry newest = liveNewest(tableId, pageId, history, "delta");
        long full = fullOf(newest);
        if (args.baseLsn() != full) {
            throw invalid(
                    tableId, pageId, "delta base " + args.baseLsn() + " must be the chain's full image at LSN " + full);
        }
        boolean follows = args.backlinkLsn() == newest.lsn();
        boolean retries = !newest.isFull() && args.backlinkLsn() == newest.backlinkLsn();
        if (!follows && !retries) {
            throw invalid(
                    tableId,
                    pageId,
                    "delta backlink " + args.backlinkLsn() + " must be the newest entry's LSN " + newest.lsn()
                            + (newest.isFull() ? "" : " (or " + newest.backlinkLsn() + " to replace it)"));
        }
    }

    /** Checks a discard of {@code pageId} with these links. */
    public static void checkDiscard(
            long tableId, long pageId, @Nullable PageHistory history, long backlinkLsn, long baseLsn) {
        PageEntry newest = liveNewest(tableId, pageId, history, "discard");
        long full = fullOf(newest);
        if (baseLsn != full) {
            throw invalid(tableId, pageId, "discard base " + baseLsn + " must be the chain's full image " + full);
        }
        List<PageEntry> chain = chain(tableId, pageId, history, 0);
        for (PageEntry e : chain) {
            if (e.lsn() == backlinkLsn) {
                return;
            }
        }
        throw invalid(
                tableId,
                pageId,
                "discard backlink " + backlinkLsn + " names no entry of the chain (full image " + full + ", newest "
                        + newest.lsn() + ")");
    }

    /**
     * The chain of {@code pageId} visible at {@code atLsn} (0 = newest): full image first, then deltas oldest to
     * newest; empty if nothing is visible there. Fails with {@code INVALID_ARGUMENT} if the visible entry is a
     * discard and with {@code CORRUPTION} if the stored chain breaks a rule.
     */
    public static List<PageEntry> chain(long tableId, long pageId, @Nullable PageHistory history, long atLsn) {
        if (atLsn < 0) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "read of page " + pageId + " of table " + tableId + " at negative LSN " + atLsn);
        }
        if (history == null) {
            return List.of();
        }
        int i = history.indexAtOrBelow(atLsn);
        if (i < 0) {
            return List.of();
        }
        PageEntry top = history.at(i);
        if (top.isDiscard()) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "page " + pageId + " of table " + tableId + " is discarded at LSN " + top.lsn() + " (read at LSN "
                            + atLsn + ")");
        }
        if (top.isFull()) {
            checkFull(tableId, pageId, history, i);
            return List.of(top);
        }
        List<PageEntry> chain = new ArrayList<>(4);
        PageEntry cur = top;
        int idx = i;
        while (!cur.isFull()) {
            chain.add(cur);
            int prev = history.indexOf(cur.backlinkLsn());
            if (prev < 0 || prev >= idx) {
                throw corrupt(
                        tableId,
                        pageId,
                        "delta at LSN " + cur.lsn() + " backlinks to LSN " + cur.backlinkLsn()
                                + ", which is not an older record of the page");
            }
            PageEntry below = history.at(prev);
            if (below.isDiscard()) {
                throw corrupt(tableId, pageId, "delta at LSN " + cur.lsn() + " chains onto the discard " + below.lsn());
            }
            cur = below;
            idx = prev;
        }
        checkFull(tableId, pageId, history, idx);
        for (PageEntry d : chain) {
            if (d.baseLsn() != cur.lsn()) {
                throw corrupt(
                        tableId,
                        pageId,
                        "delta at LSN " + d.lsn() + " has base " + d.baseLsn() + " but its chain's full image is "
                                + cur.lsn());
            }
        }
        chain.add(cur);
        Collections.reverse(chain);
        return chain;
    }

    private static void checkFull(long tableId, long pageId, PageHistory history, int idx) {
        PageEntry full = history.at(idx);
        if (full.baseLsn() != 0) {
            throw corrupt(tableId, pageId, "full image at LSN " + full.lsn() + " has base " + full.baseLsn());
        }
        if (idx == 0 && history.truncated()) {
            return; // older records were reclaimed: the previous full image is gone
        }
        long expected = expectedFullBacklink(history, idx);
        if (full.backlinkLsn() != expected) {
            throw corrupt(
                    tableId,
                    pageId,
                    "full image at LSN " + full.lsn() + " has backlink " + full.backlinkLsn() + ", expected "
                            + expected);
        }
    }

    /** The backlink a full image placed after the first {@code count} entries of {@code history} must carry. */
    private static long expectedFullBacklink(@Nullable PageHistory history, int count) {
        if (history == null) {
            return 0;
        }
        for (int j = count - 1; j >= 0; j--) {
            PageEntry e = history.at(j);
            if (e.isDiscard()) {
                return 0;
            }
            if (e.isFull()) {
                return e.lsn();
            }
        }
        return 0;
    }

    private static PageEntry liveNewest(long tableId, long pageId, @Nullable PageHistory history, String what) {
        if (history == null) {
            throw invalid(tableId, pageId, "a " + what + " needs a full image first, and the page has none");
        }
        PageEntry newest = history.newest();
        if (newest.isDiscard()) {
            throw invalid(
                    tableId,
                    pageId,
                    "the page is discarded at LSN " + newest.lsn() + "; only a full image with backlink 0 may follow");
        }
        return newest;
    }

    private static long fullOf(PageEntry e) {
        return e.isFull() ? e.lsn() : e.baseLsn();
    }

    private static StrataException invalid(long tableId, long pageId, String why) {
        return new StrataException(
                ErrorCode.INVALID_ARGUMENT,
                "page log write rejected for table " + tableId + " page " + pageId + ": " + why);
    }

    private static StrataException corrupt(long tableId, long pageId, String why) {
        return new StrataException(
                ErrorCode.CORRUPTION, "page log chain broken for table " + tableId + " page " + pageId + ": " + why);
    }
}
