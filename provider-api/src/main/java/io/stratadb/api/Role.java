package io.stratadb.api;

/**
 * The role of a node in a database that shares one page log.
 *
 * <pre>
 *             stepUp()                 (drain done)
 *   FOLLOWER ---------> STEPPING_UP ----------------> LEADER
 *      ^                                                |
 *      |         (read-only sweep done)                 | stepDown()
 *      +------------------ STEPPING_DOWN <--------------+
 * </pre>
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>to</th><th>performed by</th></tr>
 *   <tr><td>FOLLOWER</td><td>STEPPING_UP</td><td>{@code Engine.stepUp()}: fence, read log, abandon</td></tr>
 *   <tr><td>STEPPING_UP</td><td>LEADER</td><td>{@code Engine.stepUp()}: drain finished</td></tr>
 *   <tr><td>STEPPING_UP</td><td>FOLLOWER</td><td>{@code Engine.stepUp()} failed before fencing</td></tr>
 *   <tr><td>LEADER</td><td>STEPPING_DOWN</td><td>{@code Engine.stepDown()}: stop writes</td></tr>
 *   <tr><td>STEPPING_DOWN</td><td>FOLLOWER</td><td>{@code Engine.stepDown()}: trees read-only</td></tr>
 * </table>
 *
 * <p>In FOLLOWER, writes fail with {@link ErrorCode#NOT_LEADER}. In the two transitional states, writes and
 * schema operations fail with {@link ErrorCode#INVALID_STATE}; reads continue.
 *
 * @since 0.1
 */
public enum Role {
    FOLLOWER,
    STEPPING_UP,
    LEADER,
    STEPPING_DOWN;

    /** Whether {@code next} may follow this role; see the transition table. */
    public boolean canMoveTo(Role next) {
        return switch (this) {
            case FOLLOWER -> next == STEPPING_UP;
            case STEPPING_UP -> next == LEADER || next == FOLLOWER;
            case LEADER -> next == STEPPING_DOWN;
            case STEPPING_DOWN -> next == FOLLOWER;
        };
    }

    /** Throws {@link IllegalStateException} unless {@code next} may follow this role. */
    public void checkTransition(Role next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("illegal role transition " + this + " -> " + next);
        }
    }

    /** Whether the role is a transition in progress. */
    public boolean transitional() {
        return this == STEPPING_UP || this == STEPPING_DOWN;
    }
}
