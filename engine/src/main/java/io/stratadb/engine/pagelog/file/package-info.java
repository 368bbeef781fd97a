/**
 * The {@code file:} page-log backend: CRC32C-framed records of every kind in numbered segment files, one
 * writer and any number of reader processes per directory, epochs in an {@code EPOCH} file updated under a file
 * lock, group commit, and reclaim by copying live records forward. Depends on the core package {@code
 * io.stratadb.engine.pagelog} only. The byte layout is documented in {@code site/src/site/markdown/page-log.md}.
 */
@NullMarked
package io.stratadb.engine.pagelog.file;

import org.jspecify.annotations.NullMarked;
