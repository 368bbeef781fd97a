/**
 * The byte layout of one BookKeeper entry of the {@code bookkeeper:} page log (page records, log records,
 * completions, abandon and reclaim markers). Imports nothing from the other packages of the module; see {@code
 * site/src/site/markdown/distributed.md}.
 */
@NullMarked
package io.stratadb.pagelog.bookkeeper.codec;

import org.jspecify.annotations.NullMarked;
