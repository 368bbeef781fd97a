package io.stratadb.engine.role;

import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * this object's own thread, never on the page log's event thread.
 *
 * <p>Thread safety: thread-safe; {@link #close()} is idempotent.
 */
public final class AutoFailover implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoFailover.class);

    private final PageLog pageLog;
    private final Runnable stepUp;
    private final BooleanSupplier isFollower;
    private final String nodeId;
    private final ExecutorService thread;
    private volatile boolean closed;

    /**
     * Starts watching {@code pageLog}'s leadership token; {@code stepUp} is the engine's step-up and {@code
     * isFollower} says whether this node is a follower now.
     */
    public AutoFailover(PageLog pageLog, Runnable stepUp, BooleanSupplier isFollower, String nodeId) {
        this.pageLog = pageLog;
        this.stepUp = stepUp;
        this.isFollower = isFollower;
        this.nodeId = nodeId;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "strata-auto-failover-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        pageLog.watchLeadership(this::leaderLost);
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
