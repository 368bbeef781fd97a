/**
 * Statements the SQL layer runs itself instead of handing them to Calcite: {@code CREATE TABLE}, {@code DROP
 * TABLE} and {@code CALL SYS.<procedure>(...)}. Parsed by a small hand-written parser (Calcite's DDL parser,
 * calcite-server, is not published for Calcite 1.42.0). May import {@code io.stratadb.api}, {@code
 * io.stratadb.sql.calcite} and {@code io.stratadb.sql.sys}. Explained in {@code sql-reference.md}.
 */
@NullMarked
package io.stratadb.sql.command;

import org.jspecify.annotations.NullMarked;
