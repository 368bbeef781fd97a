/**
 * XA two-phase commit for StrataDB: {@link io.stratadb.sql.xa.StrataXADataSource}, its XA connections and
 * {@link javax.transaction.xa.XAResource}s, mapped onto the engine's durable prepared transactions and heuristic
 * outcomes. May import {@code io.stratadb.api} and {@code io.stratadb.sql.jdbc}. Explained in {@code
 * site/src/site/markdown/xa.md}.
 */
@NullMarked
package io.stratadb.sql.xa;

import org.jspecify.annotations.NullMarked;
