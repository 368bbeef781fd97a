/**
 * Test fixtures for failover tests with real processes, shared through the engine's test-jar (the {@code
 * bookkeeper:} module's failover tests use them too): a leader in a child JVM that commits durably and prints
 * what it acknowledged ({@link io.stratadb.engine.testing.LeaderJvm}, {@link
 * io.stratadb.engine.testing.CommittingLeader}), nodes sharing one page log ({@link
 * io.stratadb.engine.testing.SharedLogNodes}), row readers and writers ({@link io.stratadb.engine.testing.Rows})
 * and waits for a role ({@link io.stratadb.engine.testing.Leadership}).
 *
 * <p>Uses only the provider SPI ({@code io.stratadb.api}), so a fixture works on every page-log backend and no
 * engine package depends on it.
 */
@NullMarked
package io.stratadb.engine.testing;

import org.jspecify.annotations.NullMarked;
