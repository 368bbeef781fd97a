package io.stratadb.engine.reconcile;

import java.util.List;

/**
 * One block of the page log as the reconciler last wrote it: a page id, its chain position, its logical content
 * (the full image with every delta applied), its number of keys and its first key.
 *
 * <p>Invariants: (1) {@code baseLsn} is the LSN of the chain's full image and {@code lastLsn >= baseLsn};
 * (2) {@code deltaCount} deltas lie between them; (3) {@code content} is sorted by key and holds no removals;
 * (4) {@code keys} and {@code lowKey} describe the block's content even when the content was dropped (a
 * <em>hollow</em> block, see {@link #hollow()}): {@code keys} entries, the first being {@code lowKey}.
 *
 * <p>Thread safety: immutable.
 *
 * @param pageId the page id
 * @param lastLsn LSN of the newest record of the chain
 * @param baseLsn LSN of the chain's full image
 * @param deltaCount deltas written on top of the full image
 * @param content what a reader of the chain gets (empty for a hollow block)
 * @param keys the number of keys the chain holds
 * @param lowKey the chain's first key (empty when it holds none)
 */
@SuppressWarnings("ArrayRecordComponent") // the low key is shared with an entry, never mutated
public record Block(
        long pageId, long lastLsn, long baseLsn, int deltaCount, List<ImageEntry> content, int keys, byte[] lowKey) {
    private static final byte[] NO_KEY = new byte[0];

    public Block {
        content = List.copyOf(content);
    }

    /** A block holding {@code content}: its key count and low key are the content's. */
    public Block(long pageId, long lastLsn, long baseLsn, int deltaCount, List<ImageEntry> content) {
        this(
                pageId,
                lastLsn,
                baseLsn,
                deltaCount,
                content,
                content.size(),
                content.isEmpty() ? NO_KEY : content.get(0).key());
    }

    /** This block with its content dropped (its leaf was evicted); chain position, keys and low key stay. */
    public Block hollow() {
        return new Block(pageId, lastLsn, baseLsn, deltaCount, List.of(), keys, lowKey);
    }
}
