/**
 * The in-memory index every node of a {@code bookkeeper:} page log keeps: which LSN is where (ledger, entry),
 * the history of every page id, and the chain rules of {@link io.stratadb.api.pagelog.PageLogHandle}. Pure data
 * structures: no BookKeeper or ZooKeeper types; see {@code site/src/site/markdown/distributed.md}.
 */
@NullMarked
package io.stratadb.pagelog.bookkeeper.index;

import org.jspecify.annotations.NullMarked;
