/**
 * The Calcite side of the SQL layer: the {@code PUBLIC} schema over the engine's catalogue, tables with
 * primary-key pushdown, the DML planner rule and operator, and the value conversions between SQL and engine
 * rows. May import {@code io.stratadb.api} and Calcite; never the JDBC driver or the engine implementation.
 * Explained in {@code site/src/site/markdown/sql-reference.md}.
 */
@NullMarked
package io.stratadb.sql.calcite;

import org.jspecify.annotations.NullMarked;
