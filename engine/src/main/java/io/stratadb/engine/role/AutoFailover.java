package io.stratadb.engine.role;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic failover ({@code failover=auto}): a follower that hears the leadership token vanish races the other
 * followers for it and, if it wins, runs the engine's normal step-up.
 *
 * <p>Invariants: (1) only a node that is a FOLLOWER when the news is handled competes; (2) a node steps up only
 * after winning {@link PageLog#tryTakeLeadership()}, so of the followers that compete for one loss at most one
 * steps up, and a loser keeps following (it never claims an epoch, so it cannot depose the winner); (3) a winner
 * whose step-up fails before fencing releases the token so that another follower can try; (4) step-ups run on
 * this object's own thread, never on the page log's event thread; (5) a node that handed the token over at a
 * step-down ({@link #handOver}) does not compete during the back-off that follows; when the back-off ends it
 * competes once, so that a database whose only {@code failover=auto} node stepped down is not left leaderless.
 *
 * <p>Thread safety: thread-safe; {@link #close()} is idempotent.
 */
public final class AutoFailover implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoFailover.class);

    /** The default back-off after a step-down during which this node does not compete for the token. */
    public static final long DEFAULT_BACKOFF_MILLIS = 5_000;

    private final PageLog pageLog;
    private final Runnable stepUp;
    private final BooleanSupplier isFollower;
    private final String nodeId;
    private final LongSupplier nanoClock;
    private final long backoffNanos;
    private final ScheduledThreadPoolExecutor thread;
    private volatile boolean closed;

    /** {@link LongSupplier#getAsLong() nanoClock} value before which this node does not compete; 0 = none. */
    private volatile long ineligibleUntil;

    private volatile boolean backoffPending;

    /**
     * Starts watching {@code pageLog}'s leadership token; {@code stepUp} is the engine's step-up and {@code
     * isFollower} says whether this node is a follower now. The back-off after a step-down is the default.
     */
    public AutoFailover(PageLog pageLog, Runnable stepUp, BooleanSupplier isFollower, String nodeId) {
        this(pageLog, stepUp, isFollower, nodeId, DEFAULT_BACKOFF_MILLIS, System::nanoTime);
    }

    /**
     * As above, with the back-off after a step-down in milliseconds and the clock (nanoseconds) it is measured
     * with.
     */
    public AutoFailover(
            PageLog pageLog,
            Runnable stepUp,
            BooleanSupplier isFollower,
            String nodeId,
            long backoffMillis,
            LongSupplier nanoClock) {
        this.pageLog = pageLog;
        this.stepUp = stepUp;
        this.isFollower = isFollower;
        this.nodeId = nodeId;
        this.nanoClock = nanoClock;
        this.backoffNanos = TimeUnit.MILLISECONDS.toNanos(backoffMillis);
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "strata-auto-failover-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close drops a pending back-off end
        pageLog.watchLeadership(this::leaderLost);
    }

    /**
     * The engine option {@code failover_backoff_ms}: how long a node that stepped down stays out of the race for
     * the token ({@link #DEFAULT_BACKOFF_MILLIS} when absent).
     */
    public static long backoffOption(Map<String, String> options) {
        String v = options.get("failover_backoff_ms");
        if (v == null) {
            return DEFAULT_BACKOFF_MILLIS;
        }
        try {
            long ms = Long.parseLong(v.trim());
            if (ms >= 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StrataException(
                ErrorCode.INVALID_ARGUMENT,
                "failover_backoff_ms must be a whole number of milliseconds >= 0, not '" + v + "'");
    }

    /**
     * Releases the leadership token after a planned step-down, so that a {@code failover=auto} follower takes
     * over by itself. {@code self} is this node's automatic failover ({@code null} when the node runs with
     * {@code failover=manual}): it starts its back-off first, so it does not race for the token it gives away.
     * A failure to release is logged: the followers then do not hear of the step-down, and the operator steps
     * the next leader up by hand.
     */
    public static void handOver(@Nullable AutoFailover self, PageLog pageLog, String nodeId) {
        if (self != null) {
            self.startBackoff();
        }
        try {
            pageLog.releaseLeadership();
            LOG.info("node {} stepped down and released the leadership token", nodeId);
        } catch (StrataException e) {
            LOG.warn(
                    "node {} stepped down but could not release the leadership token; no follower takes over by"
                            + " itself: {}",
                    nodeId,
                    e.getMessage());
        }
    }

    private void startBackoff() {
        ineligibleUntil = nanoClock.getAsLong() + backoffNanos;
        backoffPending = true;
        try {
            var unused = thread.schedule(this::backoffOver, backoffNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    /** Whether this node is out of the race because it stepped down less than the back-off ago. */
    boolean inBackoff() {
        return backoffPending && nanoClock.getAsLong() - ineligibleUntil < 0;
    }

    private void backoffOver() {
        if (!backoffPending || inBackoff()) {
            return; // a newer step-down restarted the back-off; its own task comes later
        }
        backoffPending = false;
        takeOver("(none: this node stepped down " + TimeUnit.NANOSECONDS.toMillis(backoffNanos) + " ms ago)");
    }

    private void leaderLost(String formerLeader) {
        if (closed || !isFollower.getAsBoolean()) {
            return;
        }
        try {
            thread.execute(() -> takeOver(formerLeader));
        } catch (RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    private void takeOver(String formerLeader) {
        if (closed || !isFollower.getAsBoolean()) {
            return;
        }
        if (inBackoff()) {
            LOG.info(
                    "node {}: leader {} lost, but this node stepped down less than {} ms ago and leaves the token to"
                            + " the other followers",
                    nodeId,
                    formerLeader,
                    TimeUnit.NANOSECONDS.toMillis(backoffNanos));
            return;
        }
        boolean won;
        try {
            won = pageLog.tryTakeLeadership();
        } catch (StrataException e) {
            LOG.warn(
                    "node {}: leader {} lost, but the leadership token is unreachable: {}",
                    nodeId,
                    formerLeader,
                    e.getMessage());
            return;
        }
        if (!won) {
            LOG.info("node {}: leader {} lost; another node took over, this one keeps following", nodeId, formerLeader);
            return;
        }
        LOG.info("node {}: leader {} lost; this node won the leadership token and steps up", nodeId, formerLeader);
        try {
            stepUp.run();
            LOG.info("node {}: automatic step-up done", nodeId);
        } catch (StrataException e) {
            if (isFollower.getAsBoolean()) {
                LOG.warn(
                        "node {}: automatic step-up failed before fencing, releasing the token: {}",
                        nodeId,
                        e.getMessage());
                try {
                    pageLog.releaseLeadership();
                } catch (StrataException releaseFailed) {
                    LOG.warn("node {}: could not release the leadership token: {}", nodeId, releaseFailed.getMessage());
                }
            } else {
                LOG.error("node {}: automatic step-up failed after fencing", nodeId, e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("node {}: an automatic step-up still runs at close", nodeId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
