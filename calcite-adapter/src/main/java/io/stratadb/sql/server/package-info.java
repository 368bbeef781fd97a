/**
 * The network server ({@code bin/strata-server}): one database served over Avatica HTTP with protobuf, bound
 * to loopback unless told otherwise, with HTTP basic authentication against PBKDF2-hashed passwords, TLS, and
 * roll-back of idle remote sessions. May import {@code io.stratadb.sql.jdbc}. Explained in {@code
 * site/src/site/markdown/jdbc-guide.md}.
 */
@NullMarked
package io.stratadb.sql.server;

import org.jspecify.annotations.NullMarked;
