/**
 * The cache: the memory budget ({@code cache=}) of the leader's stable trees and the background evictor that
 * keeps them under it by evicting clean leaves (clock with second chance). Imports {@code io.stratadb.api},
 * {@code btree}, {@code catalog}, {@code checkpoint} and {@code txn}. See {@code site/src/site/markdown/cache.md}.
 */
@NullMarked
package io.stratadb.engine.cache;

import org.jspecify.annotations.NullMarked;
