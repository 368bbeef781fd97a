package io.stratadb.engine;

import io.stratadb.api.CacheStats;
import io.stratadb.api.CheckpointInfo;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTimestamps;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.HeuristicOutcome;
import io.stratadb.api.NodeState;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TablePageStats;
import io.stratadb.api.TableSchema;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionInfo;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.FencedException;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.checkpoint.CheckpointLoader;
import io.stratadb.engine.checkpoint.CheckpointMeta;
import io.stratadb.engine.checkpoint.Checkpointer;
import io.stratadb.engine.checkpoint.CrashPoint;
import io.stratadb.engine.checkpoint.RedoWindow;
import io.stratadb.engine.checkpoint.Turtle;
import io.stratadb.engine.layered.StableSet;
import io.stratadb.engine.log.CommitLog;
import io.stratadb.engine.log.LogReader;
import io.stratadb.engine.pagelog.memory.MemoryPageLogProvider;
import io.stratadb.engine.reconcile.ReconcileOptions;
import io.stratadb.engine.role.AutoFailover;
import io.stratadb.engine.role.RoleState;
import io.stratadb.engine.txn.Txn;
import io.stratadb.engine.txn.TxnManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open strata database on one node: catalogue, transaction table, role, and either the leader's commit log
 * and checkpointer or the follower's log applier and stable set.
 *
 * <p>Roles (see {@link RoleState} for the state machine): a leader writes and checkpoints; a follower applies
 * the shared log to its ingest trees and reads them merged over the stable trees of its picked-up checkpoint
 * ({@code site/src/site/markdown/layered-tables.md}); {@link #stepUp()} and {@link #stepDown()} move between
 * them ({@code roles.md}). A leader fenced by another node's step-up is <em>deposed</em>: from the first
 * {@link FencedException} on, every operation fails with FENCED (25006) until the engine is reopened, because
 * its memory may hold commits the page log refused.
 *
 * <p>Invariants: (1) every committed write is in the commit log before it is visible, and recovery replays the
 * log into the same state; (2) the directory lock is held from open to close; (3) after {@link #close()} every
 * method fails with CLOSED; (4) only a LEADER in the transaction's own term commits (checked under the commit
 * lock, where the role moves); (5) after the commit log's first I/O failure (a failed fsync) every method but
 * {@code close} fails with IO_ERROR naming that failure, no further log record or checkpoint is written, and
 * close does not flush again (see {@link CommitLog}).
 *
 * <p>Thread safety: thread-safe. Lock order: role gate, then the follower's lock, then the commit lock (in
 * {@link TxnManager}), then B+tree locks. Ownership: the opener closes it.
 */
public final class StrataEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(StrataEngine.class);

    private final EngineConfig config;
    private final Catalog catalog = new Catalog();
    private final TxnManager txns;
    private final PageLog pageLog;
    private final RedoWindow redo = new RedoWindow();
    private final RoleState role;
    private final @Nullable Turtle turtle;
    private final ReconcileOptions reconcileOptions;
    private final CrashPoint crashPoint;
    private final @Nullable DirectoryLock dirLock;
    private final WriteGate gate;
    private final SchemaChanges schemaChanges;
    private final AtomicLong sessionIds = new AtomicLong();
    private final Set<StrataSession> sessions = ConcurrentHashMap.newKeySet();
    private final RoleTransitions transitions;
    // written on open and, under the transition lock, by RoleTransitions
    volatile CommitLog commitLog;
    volatile @Nullable LeaderServices leader;
    volatile @Nullable Follower follower;
    volatile @Nullable AutoFailover autoFailover;
    volatile long recoveredLsn;
    volatile long lastCheckpointLsn;
    volatile long lastCheckpointTs;
    private volatile boolean closed;

    private StrataEngine(EngineConfig config, LongSupplier clock, CrashPoint crashPoint) {
        this.config = config;
        this.txns = new TxnManager(config.timestamps(), clock);
        this.role = new RoleState(config.role());
        this.crashPoint = crashPoint;
        this.reconcileOptions = ReconcileOptions.from(config.options());
        boolean auto = autoFailoverOption(config);
        Path path = config.path();
        this.turtle = path == null ? null : new Turtle(path);
        DirectoryLock dl = path == null ? null : DirectoryLock.acquire(path);
        PageLog pl = null;
        try {
            pl = openPageLog(config);
            this.pageLog = pl;
            this.commitLog = new CommitLog(pl, config.durability() == Durability.FSYNC);
            this.gate = new WriteGate(role, txns, pl, config.nodeId());
            txns.setGuard(gate::checkCommit);
            this.schemaChanges =
                    new SchemaChanges(role, txns, catalog, () -> commitLog, this::leaderName, this::fencedAware);
            this.transitions =
                    new RoleTransitions(this, config, role, txns, pl, catalog, redo, reconcileOptions, turtle);
            if (config.role() == Role.LEADER) {
                openLeader();
            } else {
                openFollower();
            }
            if (auto) {
                this.autoFailover = new AutoFailover(
                        pl,
                        this::stepUp,
                        () -> role.role() == Role.FOLLOWER && !closed && !gate.isDeposed(),
                        config.nodeId(),
                        AutoFailover.backoffOption(config.options()),
                        System::nanoTime);
            }
            this.dirLock = dl;
        } catch (RuntimeException e) {
            if (pl != null) {
                try {
                    pl.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (dl != null) {
                dl.close();
            }
            throw e;
        }
    }

    /** Leader start-up: fence, abandon the unfinished checkpoint, load the last one, replay the log after it. */
    private void openLeader() {
        PageLog pl = pageLog;
        pl.claimEpoch();
        holdLeadership();
        pl.abandonCheckpoint(); // orphan page records of a checkpoint that never completed
        boolean loseAll = Boolean.parseBoolean(config.options().getOrDefault("lose_all_my_data", "false"));
        Optional<CheckpointCompletion> start = CheckpointLoader.resolve(pl, turtle, loseAll);
        CheckpointLoader.Loaded loaded = null;
        LogReplayer replayer;
        long replayAfter = 0;
        if (start.isPresent()) {
            // keep 80% of the budget resident at open; later pages are loaded as evicted leaves
            loaded = CheckpointLoader.load(
                    pl, start.get(), catalog, txns, reconcileOptions, config.cacheBytes() / 10 * 8);
            CheckpointMeta m = loaded.meta();
            replayer = new LogReplayer(catalog, txns, redo, true, m.pointLsn(), m.checkpointTs());
            replayAfter = m.replayFrom() - 1;
        } else {
            replayer = new LogReplayer(catalog, txns, redo);
        }
        this.recoveredLsn = LogReader.readAll(pl, replayAfter, replayer::apply);
        LOG.info(
                "recovered {} log records after LSN {} up to LSN {} from {}",
                replayer.records(),
                replayAfter,
                recoveredLsn,
                pl.uri());
        txns.finishReplay();
        txns.foldResident(catalog.entries().stream().map(TableEntry::tree).toList());
        becomeLeader(loaded);
        for (Txn p : txns.preparedTxns()) {
            p.setTerm(role.term()); // recovered prepared transactions are resolvable on this leader
        }
    }

    /** {@code failover=auto} (followers take over by themselves) or {@code manual} (the default). */
    private static boolean autoFailoverOption(EngineConfig config) {
        String v = config.options().getOrDefault("failover", "manual");
        return switch (v) {
            case "auto" -> true;
            case "manual" -> false;
            default ->
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT, "failover must be 'auto' or 'manual', not '" + v + "'");
        };
    }

    /** Takes the page log's leadership token (what automatic failover watches); a failure only loses that. */
    void holdLeadership() {
        try {
            pageLog.holdLeadership();
        } catch (StrataException e) {
            LOG.warn(
                    "node {} leads but could not take the leadership token; automatic failover will not notice"
                            + " its loss: {}",
                    config.nodeId(),
                    e.getMessage());
        }
    }

    /** The leader's machinery: commit log, checkpointer, scheduler, cache. */
    void becomeLeader(CheckpointLoader.@Nullable Loaded loaded) {
        CommitLog log = new CommitLog(pageLog, config.durability() == Durability.FSYNC);
        this.commitLog = log;
        txns.setLog(new EngineTxnLog(log, redo));
        this.leader = new LeaderServices(
                new LeaderServices.Inputs(
                        config, pageLog, catalog, txns, redo, turtle, reconcileOptions, crashPoint, ephemeral()),
                log,
                loaded);
    }

    void stopLeaderThreads() {
        LeaderServices ls = leader;
        if (ls != null) {
            ls.stop();
        }
    }

    @Nullable
    Checkpointer checkpointer() {
        LeaderServices ls = leader;
        return ls == null ? null : ls.checkpointer();
    }

    /** Applies the log available now (a follower; tests wait with it instead of polling), returns the LSN. */
    long catchUp() {
        Follower f = follower;
        return f == null ? recoveredLsn : f.catchUp();
    }

    /** Follower start-up: load the newest completed checkpoint as the stable set, apply the log after it. */
    private void openFollower() {
        Follower f = Follower.fromNewestCheckpoint(pageLog, catalog, txns, redo, reconcileOptions, config);
        this.follower = f;
        this.recoveredLsn = f.catchUp();
        LOG.info("follower {} applied the log up to LSN {} from {}", config.nodeId(), recoveredLsn, pageLog.uri());
        f.start(config.nodeId());
    }

    /** Opens (or creates) the database {@code config} describes, with the wall clock for AUTO timestamps. */
    public static StrataEngine open(EngineConfig config) {
        return new StrataEngine(config, System::currentTimeMillis, CrashPoint.fromSystemProperty());
    }

    /** Opens with an injected clock for AUTO commit timestamps (tests). */
    static StrataEngine open(EngineConfig config, LongSupplier clock) {
        return new StrataEngine(config, clock, CrashPoint.fromSystemProperty());
    }

    /** Opens with an injected clock and a checkpoint crash hook (crash tests). */
    static StrataEngine open(EngineConfig config, LongSupplier clock, CrashPoint crashPoint) {
        return new StrataEngine(config, clock, crashPoint);
    }

    private static PageLog openPageLog(EngineConfig config) {
        return PageLogProviders.open(
                config.pageLogUri(), new PageLogOptions(config.nodeId(), config.durability() == Durability.FSYNC));
    }

    /** Whether this is a private in-memory database, whose page log is forgotten when the engine closes. */
    private boolean ephemeral() {
        return config.path() == null && config.pageLog() == null;
    }

    // ---------------------------------------------------------------- plumbing for sessions

    void checkOpen() {
        if (closed) {
            throw new StrataException(ErrorCode.CLOSED, "the engine is closed");
        }
        gate.checkNotDeposed();
        commitLog.checkHealthy(); // a failed commit-log flush fails the engine for good (IO_ERROR)
    }

    TxnManager txns() {
        return txns;
    }

    Catalog catalog() {
        return catalog;
    }

    RoleState role() {
        return role;
    }

    /** How many times this follower started over after falling behind the retained log (tests). */
    long resyncs() {
        Follower f = follower;
        return f == null ? 0 : f.resyncs();
    }

    /** Stops the follower's log applier (tests that make a follower fall behind); {@link #catchUp()} still works. */
    void pauseApplier() {
        Follower f = follower;
        if (f != null) {
            f.stop();
        }
    }

    /** The page log (tests that damage it on purpose). */
    PageLog pageLog() {
        return pageLog;
    }

    void sessionClosed(StrataSession s) {
        sessions.remove(s);
    }

    /** The commit log's flush count (tests of group commit), 0 without a log. */
    long syncCount() {
        return commitLog.syncCount();
    }

    /** Test hook: runs inside every write, after the role check and before the tree is touched (seed 001). */
    void setWriteHook(@Nullable Runnable hook) {
        gate.setWriteHook(hook);
    }

    /** The stable set a transaction beginning now on a non-leader reads, or null on a leader. */
    @Nullable
    StableSet stableForNewTransaction() {
        Follower f = follower;
        if (role.role() == Role.LEADER || f == null) {
            return null;
        }
        RuntimeException failed = f.failure();
        if (failed != null) {
            // never serve reads from a follower that stopped applying the log (for example on corruption)
            ErrorCode c = failed instanceof StrataException se ? se.code() : ErrorCode.INTERNAL;
            throw new StrataException(
                    c,
                    "this follower stopped applying the log at LSN " + f.appliedLsn() + ": " + failed.getMessage()
                            + "; reopen it",
                    failed);
        }
        return f.stable();
    }

    private String leaderName() {
        return gate.leaderName();
    }

    /** See {@link WriteGate#checkWrite}. */
    void checkWrite(Txn t) {
        gate.checkWrite(t);
    }

    /** See {@link WriteGate#recheckWrite}. */
    void recheckWrite(Txn t) {
        gate.recheckWrite(t);
    }

    /** Records that another node fenced this one; from now on every operation fails with FENCED. */
    void depose(StrataException e) {
        if (gate.depose(e)) {
            stopLeaderThreads();
        }
    }

    /** Runs {@code op}, deposing the node if it meets a fenced page log. */
    <T> T fencedAware(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (StrataException e) {
            if (e.code() == ErrorCode.FENCED) {
                depose(e);
            }
            throw e;
        }
    }

    private void requireLeader(String what) {
        gate.requireLeader(what);
    }

    // ---------------------------------------------------------------- Engine

    @Override
    public EngineConfig config() {
        return config;
    }

    @Override
    public Session openSession() {
        checkOpen();
        StrataSession s = new StrataSession(this, sessionIds.incrementAndGet());
        sessions.add(s);
        return s;
    }

    @Override
    public TableHandle createTable(TableSchema schema, boolean ifNotExists) {
        checkOpen();
        return schemaChanges.create(schema, ifNotExists);
    }

    @Override
    public boolean dropTable(String name, boolean ifExists) {
        checkOpen();
        return schemaChanges.drop(name, ifExists);
    }

    @Override
    public Optional<TableHandle> table(String name) {
        checkOpen();
        return catalog.table(name);
    }

    @Override
    public List<TableHandle> tables() {
        checkOpen();
        return List.copyOf(catalog.entries());
    }

    @Override
    public GlobalTimestamps timestamps() {
        checkOpen();
        GlobalTimestamps t = txns.timestamps();
        return new GlobalTimestamps(t.oldest(), t.stable(), t.allDurable(), checkpointTs());
    }

    private long checkpointTs() {
        Checkpointer c = checkpointer();
        Follower f = follower;
        if (c != null && role.role() != Role.FOLLOWER) {
            return c.lastCheckpointTs();
        }
        return f != null && f.stable().checkpointLsn() != 0 ? f.stable().checkpointTs() : lastCheckpointTs;
    }

    private long checkpointLsn() {
        Checkpointer c = checkpointer();
        Follower f = follower;
        if (c != null && role.role() != Role.FOLLOWER) {
            return c.lastCheckpointLsn();
        }
        return f != null && f.stable().checkpointLsn() != 0 ? f.stable().checkpointLsn() : lastCheckpointLsn;
    }

    @Override
    public void setTimestamp(TimestampKind kind, long value) {
        checkOpen();
        requireLeader("setting the " + kind + " timestamp");
        fencedAware(() -> {
            txns.setTimestamp(kind, value);
            return null;
        });
    }

    @Override
    public CheckpointInfo checkpoint() {
        checkOpen();
        requireLeader("a checkpoint");
        Checkpointer c = checkpointer();
        if (c == null) {
            throw new StrataException(ErrorCode.INVALID_STATE, "this node has no checkpointer");
        }
        return fencedAware(c::run);
    }

    @Override
    public void rollbackToStable() {
        checkOpen();
        requireLeader("rollback to stable");
        List<BTree> trees = new ArrayList<>();
        for (TableEntry t : catalog.entries()) {
            trees.add(t.tree());
        }
        fencedAware(() -> {
            txns.rollbackToStable(trees);
            return null;
        });
    }

    @Override
    public NodeState nodeState() {
        checkOpen();
        Role r = role.role();
        Follower f = follower;
        long last = pageLog.lastLsn();
        long applied;
        long lag;
        if (r == Role.LEADER || f == null) {
            applied = Math.max(recoveredLsn, last);
            lag = 0;
        } else {
            applied = f.appliedLsn();
            lag = Math.max(0, last - applied);
        }
        return new NodeState(
                config.nodeId(),
                r,
                pageLog.currentEpoch(),
                leaderName(),
                config.pageLogUri(),
                checkpointLsn(),
                checkpointTs(),
                timestamps(),
                applied,
                lag);
    }

    // ---------------------------------------------------------------- roles

    @Override
    public void stepUp() {
        checkOpen();
        transitions.stepUp();
    }

    @Override
    public void stepDown() {
        checkOpen();
        transitions.stepDown();
    }

    @Override
    public Optional<CheckpointInfo> pickUpCheckpoint() {
        checkOpen();
        Follower f = follower;
        if (role.role() != Role.FOLLOWER || f == null) {
            throw new StrataException(
                    ErrorCode.INVALID_STATE,
                    "checkpoint pickup is for followers; this node is " + role.role() + " and writes checkpoints");
        }
        return f.pickUp(0);
    }

    /** Picks up the completed checkpoint an LSN selects (tests of the selector rules). */
    Optional<CheckpointInfo> pickUpCheckpoint(long selector) {
        checkOpen();
        Follower f = follower;
        if (role.role() != Role.FOLLOWER || f == null) {
            throw new StrataException(ErrorCode.INVALID_STATE, "checkpoint pickup is for followers");
        }
        return f.pickUp(selector);
    }

    @Override
    public List<TransactionInfo> transactions() {
        checkOpen();
        return txns.transactions();
    }

    @Override
    public Optional<Transaction> preparedTransaction(GlobalTxnId xid) {
        checkOpen();
        return txns.prepared(xid).map(t -> new StrataTransaction(this, null, t, null));
    }

    @Override
    public HeuristicOutcome completeHeuristically(GlobalTxnId xid, boolean commit) {
        checkOpen();
        requireLeader("heuristic completion of " + xid);
        return txns.completeHeuristically(xid, commit);
    }

    @Override
    public List<HeuristicOutcome> heuristicOutcomes() {
        checkOpen();
        return txns.heuristics().list();
    }

    @Override
    public boolean forgetHeuristic(GlobalTxnId xid) {
        checkOpen();
        requireLeader("forgetting the heuristic outcome of " + xid);
        return txns.forgetHeuristic(xid);
    }

    @Override
    public List<CheckpointInfo> checkpoints() {
        checkOpen();
        return PageLogViews.checkpoints(pageLog);
    }

    @Override
    public List<TablePageStats> pageLogStats() {
        checkOpen();
        return PageLogViews.pageStats(pageLog, catalog);
    }

    @Override
    public CacheStats cacheStats() {
        checkOpen();
        LeaderServices ls = leader;
        if (ls != null) {
            return ls.cacheStats();
        }
        Follower f = follower;
        if (f != null) {
            return f.cacheStats(); // stable trees (evicted when loaded lazily) and ingest trees
        }
        long pages = 0;
        long used = 0;
        for (TableEntry t : catalog.entries()) {
            pages += t.tree().residentLeafCount();
            used += t.tree().residentBytes();
        }
        return new CacheStats(config.cacheBytes(), used, pages, 0, 0);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        AutoFailover af = autoFailover;
        if (af != null) {
            af.close();
        }
        for (StrataSession s : List.copyOf(sessions)) {
            s.closeForEngine();
        }
        Follower f = follower;
        if (f != null) {
            f.stop();
        }
        stopLeaderThreads();
        txns.rollbackActive("the engine was closed");
        RuntimeException failure = null;
        if (role.role() == Role.LEADER && !gate.isDeposed()) {
            try {
                commitLog.flush();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        try {
            pageLog.close();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        if (ephemeral()) {
            MemoryPageLogProvider.drop(config.nodeId());
        }
        if (dirLock != null) {
            dirLock.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
