package io.stratadb.engine.reconcile;

import java.util.List;

/**
 * One block of the page log as the reconciler last wrote it: a page id, its chain position and its logical
 * content (the full image with every delta applied).
 *
 * <p>Invariants: (1) {@code baseLsn} is the LSN of the chain's full image and {@code lastLsn >= baseLsn};
 * (2) {@code deltaCount} deltas lie between them; (3) {@code content} is sorted by key and holds no removals.
 *
 * <p>Thread safety: immutable.
 *
 * @param pageId the page id
 * @param lastLsn LSN of the newest record of the chain
 * @param baseLsn LSN of the chain's full image
 * @param deltaCount deltas written on top of the full image
 * @param content what a reader of the chain gets
 */
public record Block(long pageId, long lastLsn, long baseLsn, int deltaCount, List<ImageEntry> content) {
    public Block {
        content = List.copyOf(content);
    }
}
