package io.stratadb.engine.btree;

/**
 * An evicted leaf: what stands in the tree in place of a leaf whose content lives only in the page log.
 *
 * <p>Invariants: (1) {@code meta} is the evicted leaf's own meta (so the reconciler's bookkeeping continues
 * when the leaf is read back); (2) {@code routeKey} was the evicted leaf's first key, so a descent for it reaches
 * this stub while it is in the tree (stubs are never split or merged); (3) reading {@code (meta.pageId(), lsn)}
 * from {@code store} yields the leaf's {@code keys} keys.
 *
 * <p>Thread safety: immutable.
 */
final class Stub extends Node {
    final PageMeta meta;
    final PageStore store;
    final long lsn;
    final int keys;
    final byte[] routeKey;

    Stub(PageMeta meta, PageStore store, long lsn, int keys, byte[] routeKey) {
        this.meta = meta;
        this.store = store;
        this.lsn = lsn;
        this.keys = keys;
        this.routeKey = routeKey;
    }

    @Override
    int size() {
        return keys;
    }
}
