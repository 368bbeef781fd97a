package io.stratadb.engine.testing;

import io.stratadb.api.Engine;
import io.stratadb.api.Role;
import java.time.Duration;

/**
 * Waits for a role change that happens on another thread (automatic failover, a step-up in progress), by polling
 * {@link Engine#nodeState()}.
 *
 * <p>Invariants: a wait returns only once the role was observed; it fails with an {@link AssertionError} naming
 * the timeout otherwise.
 *
 * <p>Thread safety: stateless.
 */
public final class Leadership {
    private Leadership() {}

    /** Waits until one of {@code nodes} is LEADER and returns it; fails after {@code timeout}. */
    public static Engine awaitLeader(Duration timeout, Engine... nodes) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Engine e : nodes) {
                if (e.nodeState().role() == Role.LEADER) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no node became leader within " + timeout.toSeconds() + " s");
    }
}
