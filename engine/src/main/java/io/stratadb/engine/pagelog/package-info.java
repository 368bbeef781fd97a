/**
 * The page-log core shared by every backend: the chain rules ({@link io.stratadb.engine.pagelog.ChainVerifier}),
 * the in-memory page index ({@link io.stratadb.engine.pagelog.PageIndex}) and the checkpoint-completion selector.
 * Backends live in the subpackages {@code memory} and {@code file}; this package never depends on them. It
 * imports only {@code provider-api}. See {@code site/src/site/markdown/page-log.md}.
 */
@NullMarked
package io.stratadb.engine.pagelog;

import org.jspecify.annotations.NullMarked;
