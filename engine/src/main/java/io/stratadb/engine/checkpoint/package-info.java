/**
 * Precise checkpoints and recovery from them: the checkpoint sequence ({@link
 * io.stratadb.engine.checkpoint.Checkpointer}), the catalogue root ({@link
 * io.stratadb.engine.checkpoint.CatalogRoot}), the checkpoint metadata shared by the local turtle and the
 * completion record ({@link io.stratadb.engine.checkpoint.CheckpointMeta}), the turtle file with its {@code
 * .prev} protocol ({@link io.stratadb.engine.checkpoint.Turtle}), the redo window that decides where log replay
 * starts ({@link io.stratadb.engine.checkpoint.RedoWindow}) and start-up loading ({@link
 * io.stratadb.engine.checkpoint.CheckpointLoader}). Imports {@code io.stratadb.api}, {@code btree}, {@code
 * catalog}, {@code txn} and {@code reconcile}. See {@code site/src/site/markdown/checkpoints.md}.
 */
@NullMarked
package io.stratadb.engine.checkpoint;

import org.jspecify.annotations.NullMarked;
