package io.stratadb.engine.btree;

import java.util.List;

/**
 * The page-log side of a tree's evicted leaves: reads one evicted leaf back as slots.
 *
 * <p>Invariants: {@link #read} returns, for the page id and LSN an {@link EvictionCheck} approved, slots in key
 * order whose chains each hold the single version the evicted leaf held (committed at sequence 0 with its
 * stored timestamps), or throws a {@code StrataException} (CORRUPTION, IO_ERROR) and returns nothing.
 *
 * <p>Thread safety: implementations are called from any reader or writer thread, without the tree lock held
 * (or with it held, on the structural-change path), and must be thread-safe.
 */
public interface PageStore {
    /** The slots of page {@code pageId} as written at {@code lsn}, in key order. */
    List<Slot> read(long pageId, long lsn);
}
