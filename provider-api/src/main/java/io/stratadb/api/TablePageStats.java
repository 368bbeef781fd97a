package io.stratadb.api;

/**
 * Page-log statistics of one table, as shown in {@code SYS.PAGE_LOG}.
 *
 * @param tableId table id
 * @param table table name
 * @param pages live page ids
 * @param fullImages full images stored
 * @param deltas deltas stored
 * @param discards discards stored
 * @param bytes bytes of page records stored
 * @since 0.1
 */
public record TablePageStats(
        long tableId, String table, long pages, long fullImages, long deltas, long discards, long bytes) {}
