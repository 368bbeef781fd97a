package io.stratadb.engine.btree;

/**
 * A page loaded as evicted: the tree gets only a stub, and the page is read back on first access.
 *
 * <p>Invariants: {@code keys >= 1}; {@code routeKey} is the page's first key.
 *
 * <p>Thread safety: immutable.
 *
 * @param meta the page's meta
 * @param store where it is read back
 * @param lsn the LSN to read it at
 * @param keys the number of keys it holds
 * @param routeKey its first key
 */
@SuppressWarnings("ArrayRecordComponent") // the key is never mutated
public record EvictedPage(PageMeta meta, PageStore store, long lsn, int keys, byte[] routeKey) implements LoadedPage {}
