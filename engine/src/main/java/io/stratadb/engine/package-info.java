/**
 * The {@code strata} storage provider. Subpackages follow the architecture: {@code txn}, {@code btree},
 * {@code layered}, {@code reconcile}, {@code cache}, {@code log}, {@code checkpoint}, {@code role}, {@code
 * pagelog} (the embedded {@code file:} backend), {@code io}. The engine depends on {@code provider-api} and
 * SLF4J only, never on the SQL adapter. See {@code site/src/site/markdown/architecture.md}.
 */
@NullMarked
package io.stratadb.engine;

import org.jspecify.annotations.NullMarked;
