/**
 * The SQL layer: Apache Calcite schema and tables over the provider SPI, the {@code jdbc:strata:} driver, the
 * {@code SYS} system tables and procedures, XA and the network server. Depends on {@code provider-api} only at
 * compile time; finds the engine through {@link java.util.ServiceLoader}.
 */
@NullMarked
package io.stratadb.sql;

import org.jspecify.annotations.NullMarked;
