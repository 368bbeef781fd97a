/**
 * The StrataDB provider SPI: the interfaces, records and error codes through which applications and the SQL
 * adapter reach a storage provider.
 *
 * <p>This package depends on nothing but the JDK. It owns {@link io.stratadb.api.StorageProvider} lookup,
 * the engine, session, transaction and cursor contracts, table schema records, roles, timestamps and the
 * single error table {@link io.stratadb.api.ErrorCode}. The page-log SPI lives in {@link
 * io.stratadb.api.pagelog}. See {@code site/src/site/markdown/architecture.md}.
 *
 * @since 0.1
 */
@NullMarked
package io.stratadb.api;

import org.jspecify.annotations.NullMarked;
