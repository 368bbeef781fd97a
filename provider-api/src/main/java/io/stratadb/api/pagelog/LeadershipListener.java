package io.stratadb.api.pagelog;

/**
 * A callback told when the page log's leadership token disappears (the leader closed, or its coordination
 * session was lost), so a follower may try to take over.
 *
 * <p>Invariants: (1) it is told only about a token that existed and then vanished, never about one that was
 * never held; (2) being told grants nothing: the listener must still win {@link PageLog#tryTakeLeadership()}.
 *
 * <p>Thread safety: called from the backend's event thread; implementations must return quickly and do their
 * work (such as a step-up) on a thread of their own.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface LeadershipListener {
    /** The token held by {@code formerLeader} (a node id, empty if unknown) is gone. */
    void leaderLost(String formerLeader);
}
