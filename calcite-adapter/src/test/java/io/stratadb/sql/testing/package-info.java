/** Test fixtures shared by the SQL layer's tests. */
@NullMarked
package io.stratadb.sql.testing;

import org.jspecify.annotations.NullMarked;
