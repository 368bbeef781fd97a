/**
 * The ZooKeeper side of a {@code bookkeeper:} page log, through Curator: the epoch (claimed by compare-and-set),
 * the ledger manifest and the checkpoint completions, every write of the last two guarded by a check of the
 * epoch's version in the same multi-operation. No BookKeeper types; see {@code
 * site/src/site/markdown/distributed.md}.
 */
@NullMarked
package io.stratadb.pagelog.bookkeeper.meta;

import org.jspecify.annotations.NullMarked;
