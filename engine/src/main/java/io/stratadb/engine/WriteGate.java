package io.stratadb.engine;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.Role;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.engine.role.RoleState;
import io.stratadb.engine.txn.Txn;
import io.stratadb.engine.txn.TxnManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may write on this node: the role and term checks of every write and commit, the leader-only checks of
 * administrative operations, and the deposed state of a leader another node fenced.
 *
 * <p>A write passes if the role is LEADER and the term is the one its transaction began in (see {@link
 * RoleState}); it is checked before the write touches the tree, after it, and under the commit lock as the
 * {@link io.stratadb.engine.txn.CommitGuard}. A refused write on a follower is NOT_LEADER; one caught by a role
 * change rolls its transaction back and is TRANSACTION_ROLLED_BACK (retryable).
 *
 * <p>Invariants: (1) once deposed, always deposed (until the engine is reopened); (2) the error names the leader
 * (the page log's epoch owner) when it is known.
 *
 * <p>Thread safety: thread-safe.
 */
final class WriteGate {
    private static final Logger LOG = LoggerFactory.getLogger(WriteGate.class);

    private final RoleState role;
    private final TxnManager txns;
    private final PageLog pageLog;
    private final String nodeId;
    private volatile @Nullable StrataException deposed;
    private volatile @Nullable Runnable writeHook;

    WriteGate(RoleState role, TxnManager txns, PageLog pageLog, String nodeId) {
        this.role = role;
        this.txns = txns;
        this.pageLog = pageLog;
        this.nodeId = nodeId;
    }

    /** The current leader's node id, as far as the page log knows. */
    String leaderName() {
        try {
            return pageLog.epochOwner().orElse("unknown");
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /** Test hook: runs inside every write, after the role check and before the tree is touched (seed 001). */
    void setWriteHook(@Nullable Runnable hook) {
        writeHook = hook;
    }

    /** Throws FENCED if another node deposed this one. */
    void checkNotDeposed() {
        StrataException d = deposed;
        if (d != null) {
            throw new StrataException(ErrorCode.FENCED, d.getMessage() + "; reopen this node (as a follower)", d);
        }
    }

    boolean isDeposed() {
        return deposed != null;
    }

    /** Records that another node fenced this one; returns whether this call deposed it (the first one does). */
    boolean depose(StrataException e) {
        if (deposed != null) {
            return false;
        }
        deposed = e;
        LOG.error("node {} was fenced by another leader; it refuses all work until reopened", nodeId, e);
        return true;
    }

    /**
     * Fails unless {@code t} may write now: NOT_LEADER on a follower; a retryable TRANSACTION_ROLLED_BACK (the
     * transaction is rolled back) if the node changed role since {@code t} began or is changing it.
     */
    void checkWrite(Txn t) {
        if (role.canWrite(t.term())) {
            Runnable hook = writeHook;
            if (hook != null) {
                hook.run();
            }
            return;
        }
        throw refuseWrite(t);
    }

    /** Re-checks after a write reached the tree: a role change meanwhile undoes the transaction (seed 001). */
    void recheckWrite(Txn t) {
        if (!role.canWrite(t.term())) {
            throw refuseWrite(t);
        }
    }

    private StrataException refuseWrite(Txn t) {
        Role r = role.role();
        if (r == Role.FOLLOWER && t.term() == role.term()) {
            return new StrataException(
                    ErrorCode.NOT_LEADER, "this node is a follower; send writes to the leader (" + leaderName() + ")");
        }
        String why = r == Role.LEADER
                ? "the node changed role since transaction " + t.id() + " began"
                : "the node is " + r + "; the leader is " + leaderName();
        txns.rollbackRetryably(t, why);
        return new StrataException(
                ErrorCode.TRANSACTION_ROLLED_BACK,
                "transaction " + t.id() + " was rolled back: " + why + "; run it again on the leader");
    }

    /** The commit guard (under the commit lock): only a LEADER commits, and only in the transaction's term. */
    void checkCommit(Txn t) {
        StrataException d = deposed;
        if (d != null) {
            throw new StrataException(ErrorCode.FENCED, d.getMessage(), d);
        }
        if (!role.canWrite(t.term())) {
            Role r = role.role();
            if (r == Role.LEADER) {
                throw new StrataException(
                        ErrorCode.TRANSACTION_ROLLED_BACK,
                        "transaction " + t.id() + " began before the node's last role change; run it again");
            }
            throw new StrataException(
                    r == Role.FOLLOWER ? ErrorCode.NOT_LEADER : ErrorCode.TRANSACTION_ROLLED_BACK,
                    "the node is " + r + "; commit on the leader (" + leaderName() + ")");
        }
    }

    /** Fails unless the node is the leader: NOT_LEADER on a follower, INVALID_STATE during a transition. */
    void requireLeader(String what) {
        Role r = role.role();
        if (r == Role.LEADER) {
            return;
        }
        if (r == Role.FOLLOWER) {
            throw new StrataException(
                    ErrorCode.NOT_LEADER, what + " on a follower; run it on the leader (" + leaderName() + ")");
        }
        throw new StrataException(ErrorCode.INVALID_STATE, what + " is not allowed while the node is " + r);
    }
}
