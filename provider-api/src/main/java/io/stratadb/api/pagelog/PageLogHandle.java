package io.stratadb.api.pagelog;

import java.util.List;

/**
 * Page records of one table: full images, deltas and discards keyed by (page id, LSN), chained by backlinks.
 *
 * <p>Chain rules, checked on every put and get (a violation fails with {@code INVALID_ARGUMENT} on put, and
 * nothing is written; with {@code CORRUPTION} on get):
 *
 * <ol>
 *   <li>A chain, read from its newest entry down, holds exactly one full image, at its bottom; the full image
 *       has base 0 and is not a discard.
 *   <li>A full image's backlink is the previous full image of the same page id, or 0 if the page id is new or
 *       a discard exists below it (a discarded id, if ever written again, restarts with backlink 0).
 *   <li>Every delta's base is the chain's full image; every non-discard delta's backlink is the entry just
 *       before it.
 *   <li>At most one discard, only as the newest entry, with a backlink naming an entry of the chain.
 *   <li>A delta with the same backlink as an existing delta replaces it (a retried write).
 * </ol>
 *
 * <p>Thread safety: thread-safe.
 *
 * @since 0.1
 */
public interface PageLogHandle {
    /** The smallest page id a table uses; ids below it are reserved. */
    long MIN_PAGE_ID = 100;

    /** The table id. */
    long tableId();

    /** Writes a full image ({@code args.delta() == false}) or a delta; returns its LSN. */
    long put(long pageId, PutArgs args, byte[] payload);

    /**
     * The chain of {@code pageId} as of {@code atLsn} (0 = newest): the full image first, then deltas oldest to
     * newest. Empty if the page has no record at or below {@code atLsn}. A page whose newest entry at that LSN
     * is a discard fails with {@code INVALID_ARGUMENT}.
     */
    List<PageRecord> get(long pageId, long atLsn);

    /** Discards {@code pageId}: its id is dead from the returned LSN on. */
    long discard(long pageId, long backlinkLsn, long baseLsn);

    /** Page ids that have records at or below {@code atLsn} (0 = newest) and no discard at or below it. */
    long[] pageIds(long atLsn);
}
