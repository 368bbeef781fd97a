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
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.api.pagelog.PageLogTableStats;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.SchemaCodec;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.checkpoint.CatalogRoot;
import io.stratadb.engine.checkpoint.CheckpointLoader;
import io.stratadb.engine.checkpoint.CheckpointMeta;
import io.stratadb.engine.checkpoint.CheckpointScheduler;
import io.stratadb.engine.checkpoint.Checkpointer;
import io.stratadb.engine.checkpoint.CrashPoint;
import io.stratadb.engine.checkpoint.RedoWindow;
import io.stratadb.engine.checkpoint.Turtle;
import io.stratadb.engine.log.CommitLog;
import io.stratadb.engine.log.LogEntry;
import io.stratadb.engine.log.LogReader;
import io.stratadb.engine.pagelog.memory.MemoryPageLogProvider;
import io.stratadb.engine.reconcile.ReconcileOptions;
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
 * An open strata database on one node (leader only, for now): catalogue, transaction table and commit log.
 *
 * <p>Invariants: (1) every committed write is in the commit log before it is visible, and recovery replays the
 * log into the same state; (2) the directory lock is held from open to close; (3) after {@link #close()} every
 * method fails with CLOSED.
 *
 * <p>Thread safety: thread-safe. Lock order: commit lock (in {@link TxnManager}), then B+tree locks.
 * Ownership: the opener closes it.
 */
public final class StrataEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(StrataEngine.class);

    private final EngineConfig config;
    private final Catalog catalog = new Catalog();
    private final TxnManager txns;
    private final PageLog pageLog;
    private final CommitLog commitLog;
    private final RedoWindow redo = new RedoWindow();
    private final Checkpointer checkpointer;
    private final CheckpointScheduler scheduler;
    private final @Nullable DirectoryLock dirLock;
    private final long epoch;
    private final long recoveredLsn;
    private final AtomicLong sessionIds = new AtomicLong();
    private final Set<StrataSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private StrataEngine(EngineConfig config, LongSupplier clock, CrashPoint crashPoint) {
        this.config = config;
        this.txns = new TxnManager(config.timestamps(), clock);
        if (config.role() != Role.LEADER) {
            throw new StrataException(
                    ErrorCode.UNSUPPORTED, "opening as " + config.role() + " is not supported yet"); // TODO(#5)
        }
        Path path = config.path();
        DirectoryLock dl = path == null ? null : DirectoryLock.acquire(path);
        PageLog pl = null;
        try {
            pl = openPageLog(config);
            this.epoch = pl.claimEpoch();
            pl.abandonCheckpoint(); // orphan page records of a checkpoint that never completed
            ReconcileOptions reconcileOptions = ReconcileOptions.from(config.options());
            Turtle turtle = path == null ? null : new Turtle(path);
            boolean loseAll = Boolean.parseBoolean(config.options().getOrDefault("lose_all_my_data", "false"));
            Optional<CheckpointCompletion> start = CheckpointLoader.resolve(pl, turtle, loseAll);
            CheckpointLoader.Loaded loaded = null;
            LogReplayer replayer;
            long replayAfter = 0;
            if (start.isPresent()) {
                loaded = CheckpointLoader.load(pl, start.get(), catalog, txns, reconcileOptions);
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
            this.pageLog = pl;
            this.commitLog = new CommitLog(pl, config.durability() == Durability.FSYNC);
            txns.setLog(new EngineTxnLog(commitLog, redo));
            this.checkpointer = new Checkpointer(pl, catalog, txns, redo, turtle, reconcileOptions, crashPoint, loaded);
            this.scheduler = new CheckpointScheduler(config.options(), path != null, checkpointer, pl::lastLsn);
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
    }

    TxnManager txns() {
        return txns;
    }

    Catalog catalog() {
        return catalog;
    }

    void sessionClosed(StrataSession s) {
        sessions.remove(s);
    }

    /** The commit log's flush count (tests of group commit), 0 without a log. */
    long syncCount() {
        return commitLog.syncCount();
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
        byte[] encoded = SchemaCodec.encode(schema);
        long[] lsn = {0};
        TableEntry created = txns.withCommitLock(() -> {
            TableEntry existing = catalog.byName(schema.name());
            if (existing != null) {
                if (ifNotExists) {
                    return existing;
                }
                throw new StrataException(ErrorCode.TABLE_EXISTS, "table " + schema.name() + " already exists");
            }
            long id = catalog.peekNextId();
            lsn[0] = commitLog.append(new LogEntry.CreateTable(id, encoded));
            return catalog.add(id, schema);
        });
        commitLog.awaitDurable(lsn[0]);
        return created;
    }

    @Override
    public boolean dropTable(String name, boolean ifExists) {
        checkOpen();
        long[] lsn = {0};
        boolean dropped = txns.withCommitLock(() -> {
            TableEntry t = catalog.byName(name);
            if (t == null) {
                if (ifExists) {
                    return false;
                }
                throw new StrataException(ErrorCode.TABLE_NOT_FOUND, "table " + name + " does not exist");
            }
            lsn[0] = commitLog.append(new LogEntry.DropTable(t.id()));
            catalog.remove(name);
            return true;
        });
        commitLog.awaitDurable(lsn[0]);
        return dropped;
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
        return new GlobalTimestamps(t.oldest(), t.stable(), t.allDurable(), checkpointer.lastCheckpointTs());
    }

    @Override
    public void setTimestamp(TimestampKind kind, long value) {
        checkOpen();
        txns.setTimestamp(kind, value);
    }

    @Override
    public CheckpointInfo checkpoint() {
        checkOpen();
        return checkpointer.run();
    }

    @Override
    public void rollbackToStable() {
        checkOpen();
        List<BTree> trees = new ArrayList<>();
        for (TableEntry t : catalog.entries()) {
            trees.add(t.tree());
        }
        txns.rollbackToStable(trees);
    }

    @Override
    public NodeState nodeState() {
        checkOpen();
        long last = Math.max(recoveredLsn, pageLog.lastLsn());
        return new NodeState(
                config.nodeId(),
                Role.LEADER,
                epoch,
                config.nodeId(),
                config.pageLogUri(),
                checkpointer.lastCheckpointLsn(),
                checkpointer.lastCheckpointTs(),
                timestamps(),
                last,
                0);
    }

    @Override
    public void stepUp() {
        checkOpen();
        throw new StrataException(ErrorCode.UNSUPPORTED, "step-up is not implemented yet"); // TODO(#5)
    }

    @Override
    public void stepDown() {
        checkOpen();
        throw new StrataException(ErrorCode.UNSUPPORTED, "step-down is not implemented yet"); // TODO(#5)
    }

    @Override
    public Optional<CheckpointInfo> pickUpCheckpoint() {
        checkOpen();
        throw new StrataException(ErrorCode.UNSUPPORTED, "checkpoint pickup is not implemented yet"); // TODO(#5)
    }

    @Override
    public List<TransactionInfo> transactions() {
        checkOpen();
        return txns.transactions();
    }

    @Override
    public Optional<Transaction> preparedTransaction(GlobalTxnId xid) {
        checkOpen();
        return txns.prepared(xid).map(t -> new StrataTransaction(this, null, t));
    }

    @Override
    public HeuristicOutcome completeHeuristically(GlobalTxnId xid, boolean commit) {
        checkOpen();
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
        return txns.forgetHeuristic(xid);
    }

    @Override
    public List<CheckpointInfo> checkpoints() {
        checkOpen();
        List<CheckpointInfo> out = new ArrayList<>();
        for (CheckpointCompletion c : pageLog.completedCheckpoints()) {
            int tables;
            try {
                tables = CheckpointMeta.decode(c.metadata(), "completion " + c.lsn())
                        .tables();
            } catch (StrataException e) {
                tables = -1; // written by another engine version; shown, not fatal
            }
            out.add(new CheckpointInfo(c.lsn(), c.checkpointTimestamp(), c.oldestTimestamp(), tables));
        }
        return out;
    }

    @Override
    public List<TablePageStats> pageLogStats() {
        checkOpen();
        List<TablePageStats> out = new ArrayList<>();
        for (PageLogTableStats s : pageLog.stats()) {
            TableEntry t = catalog.byId(s.tableId());
            out.add(new TablePageStats(
                    s.tableId(),
                    tableName(s.tableId(), t),
                    s.pages(),
                    s.fullImages(),
                    s.deltas(),
                    s.discards(),
                    s.bytes()));
        }
        return out;
    }

    private static String tableName(long id, @Nullable TableEntry t) {
        if (t != null) {
            return t.name();
        }
        return id == CatalogRoot.TABLE_ID ? "(catalogue)" : "#" + id;
    }

    @Override
    public CacheStats cacheStats() {
        checkOpen();
        long pages = 0;
        long keys = 0;
        for (TableEntry t : catalog.entries()) {
            pages += t.tree().leafCount();
            keys += t.tree().size();
        }
        // TODO(#4): measured bytes once pages are reconciled; until then ~128 bytes per key is the estimate
        return new CacheStats(config.cacheBytes(), keys * 128, pages, 0, 0);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (StrataSession s : List.copyOf(sessions)) {
            s.closeForEngine();
        }
        scheduler.close();
        txns.rollbackActive("the engine was closed");
        RuntimeException failure = null;
        try {
            commitLog.flush();
        } catch (RuntimeException e) {
            failure = e;
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
