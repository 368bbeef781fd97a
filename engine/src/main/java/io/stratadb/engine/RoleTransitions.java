package io.stratadb.engine;

import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.Role;
import io.stratadb.api.StrataException;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.checkpoint.CheckpointLoader;
import io.stratadb.engine.checkpoint.Checkpointer;
import io.stratadb.engine.checkpoint.RedoWindow;
import io.stratadb.engine.checkpoint.Turtle;
import io.stratadb.engine.layered.StableSet;
import io.stratadb.engine.reconcile.ReconcileOptions;
import io.stratadb.engine.role.AutoFailover;
import io.stratadb.engine.role.RoleState;
import io.stratadb.engine.txn.Txn;
import io.stratadb.engine.txn.TxnManager;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step-up and step-down procedures of one engine: the moves between FOLLOWER and LEADER that
 * {@link RoleState} draws as a state machine ({@code site/src/site/markdown/roles.md}).
 *
 * <p>Step-up: stop applying the log, fence the old leader by claiming the epoch, read the log to its end,
 * abandon the unfinished checkpoint, pick up the newest completed one, drain the ingest trees into the live
 * trees, start the leader's services, and re-attach prepared transactions to the new term. Step-down: refuse
 * commits from one instant on (under the commit lock), roll writers back retryably, checkpoint, flush the log,
 * and continue as a follower whose ingest trees are the former live trees.
 *
 * <p>Invariants: (1) at most one transition runs at a time ({@link #transitionLock}); (2) a transition waits for running
 * schema operations and refuses new ones (the role's schema gate, seed 003); (3) a step-up that fails after
 * fencing deposes the node (another node can no longer write, and this one could not take over); one that
 * fails before leaves it a follower, applying the log again.
 *
 * <p>Thread safety: thread-safe; it writes the engine's role-dependent fields ({@code follower}, {@code
 * leader}, {@code recoveredLsn}, checkpoint figures) only under {@link #transitionLock}.
 */
final class RoleTransitions {
    private static final Logger LOG = LoggerFactory.getLogger(RoleTransitions.class);
    private static final long TRANSITION_WAIT_MILLIS = 30_000;

    private final StrataEngine e;
    private final EngineConfig config;
    private final RoleState role;
    private final TxnManager txns;
    private final PageLog pageLog;
    private final Catalog catalog;
    private final RedoWindow redo;
    private final ReconcileOptions reconcileOptions;
    private final @Nullable Turtle turtle;
    private final Object transitionLock = new Object();

    RoleTransitions(
            StrataEngine e,
            EngineConfig config,
            RoleState role,
            TxnManager txns,
            PageLog pageLog,
            Catalog catalog,
            RedoWindow redo,
            ReconcileOptions reconcileOptions,
            @Nullable Turtle turtle) {
        this.e = e;
        this.config = config;
        this.role = role;
        this.txns = txns;
        this.pageLog = pageLog;
        this.catalog = catalog;
        this.redo = redo;
        this.reconcileOptions = reconcileOptions;
        this.turtle = turtle;
    }

    /** See {@link StrataEngine#stepUp()}; the caller checked that the engine is open. */
    void stepUp() {
        synchronized (transitionLock) {
            if (role.role() == Role.LEADER) {
                return;
            }
            Follower f = e.follower;
            if (f == null) {
                throw new StrataException(ErrorCode.INVALID_STATE, "this node has no follower state to step up from");
            }
            role.beginTransition(Role.FOLLOWER, Role.STEPPING_UP, TRANSITION_WAIT_MILLIS);
            long t0 = System.nanoTime();
            boolean fenced = false;
            try {
                f.stop();
                txns.withCommitLock(() -> {
                    role.moveTo(Role.STEPPING_UP);
                    return null;
                });
                long epoch = pageLog.claimEpoch(); // from here on the old leader cannot write
                fenced = true;
                e.holdLeadership();
                long tFenced = System.nanoTime();
                f.catchUp();
                pageLog.abandonCheckpoint();
                f.pickUp(0); // the newest checkpoint: its page ids and reconcilers are the ones to continue from
                f.catchUp();
                long tCaughtUp = System.nanoTime();
                StableSet stable = f.stable();
                CheckpointLoader.Loaded loaded = f.loaded();
                long drained = IngestDrain.drainAll(catalog, txns, stable);
                txns.finishReplay();
                long tDrained = System.nanoTime();
                Turtle tu = turtle;
                if (tu != null && loaded != null) {
                    tu.dropPrev();
                    tu.replace(loaded.completion().metadata());
                }
                e.becomeLeader(loaded);
                e.recoveredLsn = f.appliedLsn();
                e.follower = null;
                txns.withCommitLock(() -> {
                    role.moveTo(Role.LEADER);
                    for (Txn p : txns.preparedTxns()) {
                        p.setTerm(role.term()); // re-attached: resolvable on this leader
                    }
                    return null;
                });
                long tDone = System.nanoTime();
                LOG.info(
                        "node {} stepped up at epoch {} in {} ms: fence {} ms, log and pickup {} ms, drain of {}"
                                + " versions {} ms, start {} ms",
                        config.nodeId(),
                        epoch,
                        TimeUnit.NANOSECONDS.toMillis(tDone - t0),
                        TimeUnit.NANOSECONDS.toMillis(tFenced - t0),
                        TimeUnit.NANOSECONDS.toMillis(tCaughtUp - tFenced),
                        drained,
                        TimeUnit.NANOSECONDS.toMillis(tDrained - tCaughtUp),
                        TimeUnit.NANOSECONDS.toMillis(tDone - tDrained));
            } catch (RuntimeException ex) {
                if (fenced) {
                    // another node can no longer write and this one could not take over: refuse all work
                    e.depose(new StrataException(ErrorCode.INTERNAL, "step-up failed after fencing: " + ex, ex));
                    throw ex;
                }
                if (role.role() == Role.STEPPING_UP) {
                    txns.withCommitLock(() -> {
                        role.moveTo(Role.FOLLOWER);
                        return null;
                    });
                } else {
                    role.abortTransition();
                }
                f.start(config.nodeId());
                throw ex;
            }
        }
    }

    /** See {@link StrataEngine#stepDown()}; the caller checked that the engine is open. */
    void stepDown() {
        synchronized (transitionLock) {
            if (role.role() == Role.FOLLOWER) {
                return;
            }
            role.beginTransition(Role.LEADER, Role.STEPPING_DOWN, TRANSITION_WAIT_MILLIS);
            try {
                long planned = txns.stepDownTimestamp();
                if (planned != 0 && planned > txns.timestamps().stable()) {
                    txns.setTimestamp(TimestampKind.STABLE, planned);
                }
                txns.withCommitLock(() -> {
                    role.moveTo(Role.STEPPING_DOWN); // from here no transaction commits on this node
                    return null;
                });
            } catch (RuntimeException ex) {
                role.abortTransition();
                throw ex;
            }
            int rolledBack = txns.rollbackWriters("the node stepped down");
            e.stopLeaderThreads();
            Checkpointer c = e.checkpointer();
            if (c != null) {
                try {
                    c.run(); // the next leader and the followers start from here
                } catch (StrataException ex) {
                    LOG.warn("checkpoint at step-down failed; the next leader drains more of the log", ex);
                }
                e.lastCheckpointLsn = c.lastCheckpointLsn();
                e.lastCheckpointTs = c.lastCheckpointTs();
            }
            long lastLsn;
            try {
                e.commitLog.flush();
                lastLsn = pageLog.lastLsn();
            } catch (StrataException ex) {
                if (ex.code() == ErrorCode.FENCED) {
                    e.depose(ex);
                }
                throw ex;
            }
            txns.clearStepDown();
            txns.setLog(io.stratadb.engine.txn.TxnLog.NONE);
            e.leader = null;
            for (TableEntry t : catalog.entries()) {
                t.tree().faultInAll(); // the trees become ingest trees, which hold every row until a pick-up
            }
            // the live trees become the ingest trees; nothing is picked up yet, so the stable set is empty
            Follower f = Follower.afterStepDown(
                    pageLog, catalog, txns, redo, reconcileOptions, config, lastLsn, nextGeneration());
            e.follower = f;
            txns.withCommitLock(() -> {
                role.moveTo(Role.FOLLOWER);
                return null;
            });
            f.start(config.nodeId());
            AutoFailover.handOver(e.autoFailover, pageLog, config.nodeId()); // a failover=auto e.follower takes over
            LOG.info(
                    "node {} stepped down at LSN {}; {} write transactions rolled back",
                    config.nodeId(),
                    lastLsn,
                    rolledBack);
        }
    }

    private long nextGeneration() {
        Follower f = e.follower;
        return f == null ? 1 : f.stable().generation() + 1;
    }
}
