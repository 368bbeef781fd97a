package io.stratadb.api;

/**
 * Cache statistics, as shown in {@code SYS.CACHE}.
 *
 * @param budgetBytes configured budget
 * @param usedBytes estimated bytes in use
 * @param pages pages in memory
 * @param evictions pages evicted since open
 * @param reads pages read back from the page log since open
 * @since 0.1
 */
public record CacheStats(long budgetBytes, long usedBytes, long pages, long evictions, long reads) {}
