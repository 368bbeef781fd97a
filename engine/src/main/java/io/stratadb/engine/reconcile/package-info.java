/**
 * Reconciliation: turns in-memory leaves into page-log records. Owns the precise selection of the version each
 * key contributes to a checkpoint ({@link io.stratadb.engine.reconcile.PreciseSelector}), the byte format of full
 * images and deltas ({@link io.stratadb.engine.reconcile.PageImageCodec}) and the page-id lifecycle of each
 * table ({@link io.stratadb.engine.reconcile.TableReconciler}). Imports {@code io.stratadb.api}, {@code btree}
 * and {@code row}. See {@code site/src/site/markdown/page-format.md} and {@code page-ids.md}.
 */
@NullMarked
package io.stratadb.engine.reconcile;

import org.jspecify.annotations.NullMarked;
