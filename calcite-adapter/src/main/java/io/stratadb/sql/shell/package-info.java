/**
 * The interactive SQL shell ({@code bin/strata-shell}): sqlline on an embedded database. May import {@code
 * io.stratadb.sql.jdbc}. Explained in {@code site/src/site/markdown/jdbc-guide.md}.
 */
@NullMarked
package io.stratadb.sql.shell;

import org.jspecify.annotations.NullMarked;
