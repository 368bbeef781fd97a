/**
 * The page-log SPI: the shared service that holds stable trees as page images and deltas, commit and prepare
 * records, and checkpoint completions, in one LSN space per database.
 *
 * <p>Backends are found by URI scheme through {@link io.stratadb.api.pagelog.PageLogProviders}: {@code file:}
 * is the embedded default, {@code bookkeeper:} the distributed one. The chain rules each backend enforces on
 * put and get are those of {@link io.stratadb.api.pagelog.PageLogHandle}; see {@code site/.../page-log.md}.
 *
 * @since 0.1
 */
@NullMarked
package io.stratadb.api.pagelog;

import org.jspecify.annotations.NullMarked;
