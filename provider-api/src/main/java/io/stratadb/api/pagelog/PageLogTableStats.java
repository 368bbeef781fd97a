package io.stratadb.api.pagelog;

/**
 * Sizes of what one table holds in the page log.
 *
 * @param tableId table id
 * @param pages live page ids
 * @param fullImages full images stored
 * @param deltas deltas stored
 * @param discards discards stored
 * @param bytes payload bytes stored
 * @since 0.1
 */
public record PageLogTableStats(long tableId, long pages, long fullImages, long deltas, long discards, long bytes) {}
