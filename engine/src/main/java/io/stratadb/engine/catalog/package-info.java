/**
 * The catalogue: tables by name and id, each with its schema, codecs and B+tree, and the binary form of a
 * schema that CREATE_TABLE log records carry. Imports {@code io.stratadb.api}, {@code row} and {@code btree}.
 * See {@code site/src/site/markdown/commit-log.md}.
 */
@NullMarked
package io.stratadb.engine.catalog;

import org.jspecify.annotations.NullMarked;
