/**
 * The in-memory B+tree: copy-on-write nodes published through one atomic root, per-key {@link
 * io.stratadb.engine.btree.Slot}s holding MVCC update chains, the {@link io.stratadb.engine.btree.ReadView}
 * visibility rule and {@link io.stratadb.engine.btree.TreeCursor}. Imports only {@code io.stratadb.api}; the
 * transaction layer ({@code txn}) builds on it. See {@code site/src/site/markdown/btree.md}.
 */
@NullMarked
package io.stratadb.engine.btree;

import org.jspecify.annotations.NullMarked;
