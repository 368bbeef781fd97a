/**
 * Layered tables: how a follower reads a table as its ingest tree (versions it applied from the log after its
 * picked-up checkpoint) merged over the stable tree of that checkpoint, and how ingest versions the checkpoint
 * covers are pruned. Builds on {@code btree} only. See {@code site/src/site/markdown/layered-tables.md}.
 */
@NullMarked
package io.stratadb.engine.layered;

import org.jspecify.annotations.NullMarked;
