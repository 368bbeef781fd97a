/**
 * The {@code jdbc:strata:} driver: connection sessions and auto-commit, the per-path engine registry, error
 * translation to SQLSTATEs, the {@link javax.sql.DataSource}, and the Calcite prepare step that adds our rules
 * and runs DDL and procedure calls. Calcite classes that can only be extended from Calcite's own package live in
 * the shim package {@code org.apache.calcite.jdbc}. Explained in {@code site/src/site/markdown/jdbc-guide.md}.
 */
@NullMarked
package io.stratadb.sql.jdbc;

import org.jspecify.annotations.NullMarked;
