package io.stratadb.engine.role;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.Role;
import io.stratadb.api.StrataException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The role of this node, its write term, and the gate between role transitions and schema operations.
 *
 * <pre>
 *               moveTo                     moveTo (drain done)
 *   FOLLOWER ----------------> STEPPING_UP -------------------> LEADER
 *      ^                           | moveTo (failed before fencing) |
 *      +---------------------------+                                | moveTo
 *      |              moveTo (read-only, tailing)                    v
 *      +----------------------------------------------------- STEPPING_DOWN
 * </pre>
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>to</th><th>by</th><th>term</th></tr>
 *   <tr><td>FOLLOWER</td><td>STEPPING_UP</td><td>{@link #moveTo}</td><td>+1</td></tr>
 *   <tr><td>STEPPING_UP</td><td>LEADER</td><td>{@link #moveTo}</td><td>+1</td></tr>
 *   <tr><td>STEPPING_UP</td><td>FOLLOWER</td><td>{@link #moveTo}</td><td>+1</td></tr>
 *   <tr><td>LEADER</td><td>STEPPING_DOWN</td><td>{@link #moveTo}</td><td>+1</td></tr>
 *   <tr><td>STEPPING_DOWN</td><td>FOLLOWER</td><td>{@link #moveTo}</td><td>+1</td></tr>
 * </table>
 *
 * <p>A transition is bracketed by {@link #beginTransition} (closes the schema gate, waits for running schema
 * operations) and either two {@link #moveTo} calls or {@link #abortTransition}.
 *
 * <p><b>Writes.</b> A transaction records the term it began in; it may write only while the role is LEADER
 * and the term is unchanged ({@link #canWrite}). Every transition moves the term first, with one volatile write,
 * so a step-down makes every table read-only at the same instant, including a table some thread is just
 * starting to write: nothing is marked table by table, so there is no table a sweep could miss (seed 001). The
 * engine checks the term at every write and again under its commit lock, where the role moves.
 *
 * <p><b>Schema operations.</b> A schema operation registers with {@link #beginSchemaOp}; it is refused with
 * INVALID_STATE (55000) while a transition runs and with NOT_LEADER on a follower. A transition first closes the
 * gate (new schema operations are refused from then on), then waits for the running ones to finish, and gives
 * up with INVALID_STATE if they do not finish in time (seed 003).
 *
 * <p>Invariants: (1) the role moves only along the table above; (2) the term never decreases and changes with
 * every role change; (3) while {@code schemaOps > 0} no transition has started; while {@code transitioning} no
 * schema operation starts.
 *
 * <p>Thread safety: thread-safe; role and term are readable without the lock.
 */
public final class RoleState {
    private final Object lock = new Object();
    private volatile Role role;
    private volatile long term = 1;

    @GuardedBy("lock")
    private int schemaOps;

    @GuardedBy("lock")
    private boolean transitioning;

    public RoleState(Role initial) {
        if (initial.transitional()) {
            throw new IllegalArgumentException("a node starts as LEADER or FOLLOWER, not " + initial);
        }
        this.role = initial;
    }

    public Role role() {
        return role;
    }

    /** The current term; a transaction records it at begin. */
    public long term() {
        return term;
    }

    /** Whether a transaction that began in {@code txnTerm} may write now. */
    public boolean canWrite(long txnTerm) {
        return role == Role.LEADER && term == txnTerm;
    }

    /**
     * Registers a schema operation; fails with INVALID_STATE during a transition and NOT_LEADER on a follower.
     * Pair with {@link #endSchemaOp()} in a finally block.
     */
    public void beginSchemaOp(String what, Supplier<String> leader) {
        synchronized (lock) {
            Role r = role;
            if (transitioning || r.transitional()) {
                throw new StrataException(
                        ErrorCode.INVALID_STATE,
                        what + " is not allowed while the node is " + (r.transitional() ? r : "changing role")
                                + "; retry when the role transition has finished");
            }
            if (r != Role.LEADER) {
                throw new StrataException(
                        ErrorCode.NOT_LEADER, what + " on a follower; run it on the leader (" + leader.get() + ")");
            }
            schemaOps++;
        }
    }

    /** Ends a schema operation registered with {@link #beginSchemaOp}. */
    public void endSchemaOp() {
        synchronized (lock) {
            schemaOps--;
            lock.notifyAll();
        }
    }

    /**
     * Closes the schema gate and waits up to {@code waitMillis} for running schema operations to finish; fails
     * with INVALID_STATE if the role is not {@code from}, another transition runs, or the wait times out (the
     * gate is then open again). Does not change the role: {@link #moveTo} does, under the engine's commit lock.
     */
    public void beginTransition(Role from, Role to, long waitMillis) {
        synchronized (lock) {
            if (transitioning || role.transitional()) {
                throw new StrataException(
                        ErrorCode.INVALID_STATE, "another role transition is running (the node is " + role + ")");
            }
            if (role != from) {
                throw new StrataException(
                        ErrorCode.INVALID_STATE, "cannot move to " + to + ": the node is " + role + ", not " + from);
            }
            transitioning = true;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (schemaOps > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    transitioning = false;
                    throw new StrataException(
                            ErrorCode.INVALID_STATE,
                            "cannot start the move to " + to + ": " + schemaOps
                                    + " schema operation(s) did not finish in " + waitMillis + " ms");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    transitioning = false;
                    throw new StrataException(ErrorCode.INVALID_STATE, "interrupted while waiting to move to " + to);
                }
            }
        }
    }

    /** Moves the role along the transition table and the term forward (call under the engine's commit lock). */
    public void moveTo(Role next) {
        synchronized (lock) {
            role.checkTransition(next);
            term++;
            role = next;
            if (!next.transitional()) {
                transitioning = false;
                lock.notifyAll();
            }
        }
    }

    /** Re-opens the schema gate after a transition that failed before its first {@link #moveTo}. */
    public void abortTransition() {
        synchronized (lock) {
            if (!role.transitional()) {
                transitioning = false;
                lock.notifyAll();
            }
        }
    }

    /** Whether a transition has started (gate closed) or a transitional role is set. */
    public boolean transitioning() {
        synchronized (lock) {
            return transitioning || role.transitional();
        }
    }
}
