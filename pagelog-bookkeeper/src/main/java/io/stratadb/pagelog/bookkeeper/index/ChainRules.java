package io.stratadb.pagelog.bookkeeper.index;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PutArgs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The chain rules of {@link io.stratadb.api.pagelog.PageLogHandle}, checked before a page write is appended and
 * on every read.
 *
 * <p>A page's <em>chain</em> at some LSN is its newest record there followed down its backlinks to a full image.
 * Rules: (1) exactly one full image, at the bottom, with base 0; (2) a full image's backlink is the newest full
 * image of the page below it, or 0 if there is none or a discard lies between; (3) a delta's base is the chain's
 * full image and its backlink the newest record, or the newest record's backlink when that is a delta (a retried
 * write that replaces it); (4) a discard only as the newest record, with base = the chain's full image and a
 * backlink naming a record of the chain.
 *
 * <p>Invariants: a failed write check throws {@code INVALID_ARGUMENT} before anything is appended; a failed read
 * check throws {@code CORRUPTION}; both name the table, the page and the LSNs.
 *
 * <p>Thread safety: stateless.
 */
public final class ChainRules {
    private ChainRules() {}

    /** Checks a put of {@code args} on a page whose retained records are {@code page}. */
    public static void checkPut(long table, long pageId, @Nullable PageVersions page, PutArgs args) {
        if (pageId < 0) {
            throw invalid(table, pageId, "page ids are not negative");
        }
        if (!args.delta()) {
            if (args.baseLsn() != 0) {
                throw invalid(table, pageId, "a full image has base 0, not " + args.baseLsn());
            }
            long want = previousFull(page, page == null ? 0 : page.size());
            if (args.backlinkLsn() != want) {
                throw invalid(
                        table,
                        pageId,
                        "a full image here must backlink to " + want
                                + (want == 0 ? " (new or discarded page id)" : " (the previous full image)")
                                + ", not " + args.backlinkLsn());
            }
            return;
        }
        PageVersion top = liveTop(table, pageId, page, "delta");
        if (args.baseLsn() != top.fullLsn()) {
            throw invalid(
                    table, pageId, "delta base " + args.baseLsn() + " is not the chain's full image " + top.fullLsn());
        }
        boolean follows = args.backlinkLsn() == top.lsn();
        boolean retries = !top.isFull() && args.backlinkLsn() == top.backlinkLsn();
        if (!follows && !retries) {
            throw invalid(
                    table,
                    pageId,
                    "delta backlink " + args.backlinkLsn() + " is neither the newest record " + top.lsn()
                            + (top.isFull() ? "" : " nor its backlink " + top.backlinkLsn()));
        }
    }

    /** Checks a discard of a page whose retained records are {@code page}. */
    public static void checkDiscard(long table, long pageId, @Nullable PageVersions page, long backlink, long base) {
        PageVersion top = liveTop(table, pageId, page, "discard");
        if (base != top.fullLsn()) {
            throw invalid(table, pageId, "discard base " + base + " is not the chain's full image " + top.fullLsn());
        }
        for (PageVersion v : chain(table, pageId, page, 0)) {
            if (v.lsn() == backlink) {
                return;
            }
        }
        throw invalid(
                table,
                pageId,
                "discard backlink " + backlink + " names no record of the chain ending at LSN " + top.lsn());
    }

    /**
     * The chain at {@code atLsn} (0 = newest), full image first; empty if the page has no record there. A
     * discard there fails with {@code INVALID_ARGUMENT}; a broken chain with {@code CORRUPTION}.
     */
    public static List<PageVersion> chain(long table, long pageId, @Nullable PageVersions page, long atLsn) {
        if (atLsn < 0) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "read of table " + table + " page " + pageId + " at negative LSN " + atLsn);
        }
        int i = page == null ? -1 : page.indexAtOrBelow(atLsn);
        if (page == null || i < 0) {
            return List.of();
        }
        PageVersion cur = page.at(i);
        if (cur.isDiscard()) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "table " + table + " page " + pageId + " is discarded at LSN " + cur.lsn() + " (read at LSN "
                            + atLsn + ")");
        }
        List<PageVersion> out = new ArrayList<>(4);
        while (!cur.isFull()) {
            out.add(cur);
            int below = page.indexOf(cur.backlinkLsn());
            if (below < 0 || below >= i || page.at(below).isDiscard()) {
                throw corrupt(
                        table,
                        pageId,
                        "delta " + cur.lsn() + " backlinks to " + cur.backlinkLsn()
                                + ", which is not an older live record");
            }
            cur = page.at(below);
            i = below;
        }
        if (cur.baseLsn() != 0) {
            throw corrupt(table, pageId, "full image " + cur.lsn() + " has base " + cur.baseLsn());
        }
        if (!(i == 0 && page.truncated())) {
            long want = previousFull(page, i);
            if (cur.backlinkLsn() != want) {
                throw corrupt(
                        table,
                        pageId,
                        "full image " + cur.lsn() + " backlinks to " + cur.backlinkLsn() + ", expected " + want);
            }
        }
        for (PageVersion d : out) {
            if (d.baseLsn() != cur.lsn()) {
                throw corrupt(
                        table,
                        pageId,
                        "delta " + d.lsn() + " has base " + d.baseLsn() + ", its full image is " + cur.lsn());
            }
        }
        out.add(cur);
        Collections.reverse(out);
        return out;
    }

    /** The backlink a full image placed after the first {@code count} records must carry. */
    private static long previousFull(@Nullable PageVersions page, int count) {
        if (page == null) {
            return 0;
        }
        for (int j = count - 1; j >= 0; j--) {
            PageVersion v = page.at(j);
            if (v.isDiscard()) {
                return 0;
            }
            if (v.isFull()) {
                return v.lsn();
            }
        }
        return 0;
    }

    private static PageVersion liveTop(long table, long pageId, @Nullable PageVersions page, String what) {
        if (page == null || page.size() == 0) {
            throw invalid(table, pageId, "a " + what + " needs a full image first; the page has no record");
        }
        PageVersion top = page.newest();
        if (top.isDiscard()) {
            throw invalid(
                    table, pageId, "discarded at LSN " + top.lsn() + "; only a full image with backlink 0 may follow");
        }
        return top;
    }

    private static StrataException invalid(long table, long pageId, String why) {
        return new StrataException(
                ErrorCode.INVALID_ARGUMENT,
                "page log write rejected for table " + table + " page " + pageId + ": " + why);
    }

    private static StrataException corrupt(long table, long pageId, String why) {
        return new StrataException(
                ErrorCode.CORRUPTION, "page log chain broken for table " + table + " page " + pageId + ": " + why);
    }
}
