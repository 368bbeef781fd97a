/**
 * The sweep of leaked ledgers: ledgers that a writer of this page log created (their custom metadata names the
 * page log's base path and the writer's epoch) but that no manifest will ever list, because the writer was fenced
 * or died before registering them, or a reclaim dropped them from the manifest and failed to delete them. May
 * import the {@code meta} package and BookKeeper; see {@code site/src/site/markdown/distributed.md}.
 */
@NullMarked
package io.stratadb.pagelog.bookkeeper.sweep;

import org.jspecify.annotations.NullMarked;
