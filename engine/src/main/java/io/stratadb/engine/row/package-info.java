/**
 * Row and key encodings: {@link io.stratadb.engine.row.KeyCodec} turns primary-key values into byte strings
 * that sort like the SQL values, {@link io.stratadb.engine.row.RowCodec} turns rows into compact value bytes,
 * and {@link io.stratadb.engine.row.ValueCoercion} checks and normalizes user values against their columns.
 * Imports only {@code io.stratadb.api}. See {@code site/src/site/markdown/btree.md}.
 */
@NullMarked
package io.stratadb.engine.row;

import org.jspecify.annotations.NullMarked;
