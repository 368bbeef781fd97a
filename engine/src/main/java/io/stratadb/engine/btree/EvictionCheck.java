package io.stratadb.engine.btree;

import org.jspecify.annotations.Nullable;

/**
 * The decision whether a resident leaf may be dropped from memory, and the notice that it was.
 *
 * <p>Invariants: {@link #clean} approves a leaf only if reading its page back through the tree's {@link
 * PageStore} yields, for every present and future reader, exactly what the leaf's chains yield (see {@code
 * site/src/site/markdown/cache.md}); {@link #evicted} is called once per approved leaf after its stub is
 * published.
 *
 * <p>Thread safety: called with the tree lock held, by the one thread that evicts.
 */
public interface EvictionCheck {
    /**
     * What an approved leaf's stub records.
     *
     * @param store where the stub reads the page back
     * @param lsn the LSN to read the page at
     * @param keys the number of keys the page holds (the stub's size)
     */
    record Clean(PageStore store, long lsn, int keys) {}

    /** The stub data if the leaf with {@code meta}, {@code slots} and their current {@code heads} may go. */
    @Nullable
    Clean clean(PageMeta meta, Slot[] slots, @Nullable Update[] heads);

    /** The leaf with {@code meta} was replaced by a stub. */
    void evicted(PageMeta meta);
}
