package io.stratadb.pagelog.bookkeeper;

import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.LeadershipListener;
import io.stratadb.pagelog.bookkeeper.meta.LeaderToken;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A page log instance's seat on the leadership token: takes, holds and releases the token, registers leadership
 * watches, and undoes both when the page log closes.
 *
 * <p>Invariants: (1) {@code mayHoldToken} is set before any attempt to take the token, so {@link #close} releases
 * every token this seat could have taken; (2) every watch registered through {@link #watch} is removed by {@link
 * #close}.
 *
 * <p>Thread safety: thread-safe; takes no lock (the fields are volatile or concurrent), so the page log calls it
 * without holding its own lock.
 */
final class LeadershipSeat {
    private static final Logger LOG = LoggerFactory.getLogger(LeadershipSeat.class);

    private final LeaderToken token;

    /** Removes the connection listeners of {@link #watch} watches, at close. */
    private final CopyOnWriteArrayList<Runnable> unwatch = new CopyOnWriteArrayList<>();

    /** Whether this instance may hold the leadership token (so close must release it). */
    private volatile boolean mayHoldToken;

    LeadershipSeat(LeaderToken token) {
        this.token = token;
    }

    void hold() {
        mayHoldToken = true;
        token.hold();
    }

    boolean tryTake() {
        mayHoldToken = true;
        return token.tryTake();
    }

    void release() {
        token.release();
    }

    /** Watches the token until {@code closed} says the page log closed. */
    void watch(LeadershipListener listener, BooleanSupplier closed) {
        unwatch.add(token.watch(listener::leaderLost, closed));
    }

    /** Removes the watches and releases the token if this seat may hold it; {@code owner} names the page log. */
    void close(String nodeId, Object owner) {
        unwatch.forEach(Runnable::run);
        if (mayHoldToken) {
            try {
                token.release(); // the session may be shared with other page logs: the znode would outlive us
            } catch (StrataException e) {
                LOG.warn("{} could not release the leader token of {}: {}", nodeId, owner, e.getMessage());
            }
        }
    }
}
