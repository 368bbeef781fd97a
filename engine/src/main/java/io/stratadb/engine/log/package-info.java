/**
 * The commit log: the versioned binary format of log record payloads ({@link
 * io.stratadb.engine.log.LogCodec}), appending with group commit through the page-log SPI ({@link
 * io.stratadb.engine.log.CommitLog}) and reading the log back for recovery ({@link
 * io.stratadb.engine.log.LogReader}). Imports {@code io.stratadb.api} (and its {@code pagelog} SPI) and {@code
 * row} only. See {@code site/src/site/markdown/commit-log.md}.
 */
@NullMarked
package io.stratadb.engine.log;

import org.jspecify.annotations.NullMarked;
