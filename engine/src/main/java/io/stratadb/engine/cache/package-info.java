/**
 * The cache: the memory budget ({@code cache=}) of the leader's stable trees and the background evictor that
 * keeps them under it by evicting clean leaves (clock with second chance). Imports {@code io.stratadb.api},
 * {@code btree} and {@code catalog}; the engine wires it to the checkpointer and the transaction manager. See {@code site/src/site/markdown/cache.md}.
 */
@NullMarked
package io.stratadb.engine.cache;

import org.jspecify.annotations.NullMarked;
