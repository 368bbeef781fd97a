/**
 * The read-only {@code SYS} schema (engine state as tables, read afresh on every scan) and the administrative
 * procedures behind {@code CALL SYS.<name>(...)}. May import {@code io.stratadb.api} and {@code
 * io.stratadb.sql.calcite}. Explained in {@code site/src/site/markdown/sys-reference.md}.
 */
@NullMarked
package io.stratadb.sql.sys;

import org.jspecify.annotations.NullMarked;
