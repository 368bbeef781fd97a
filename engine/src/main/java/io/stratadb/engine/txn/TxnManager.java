package io.stratadb.engine.txn;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTimestamps;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.HeuristicOutcome;
import io.stratadb.api.StrataException;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.TransactionInfo;
import io.stratadb.api.TransactionOptions;
import io.stratadb.api.TxnState;
import io.stratadb.api.pagelog.FencedException;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.UpdateOwner;
import io.stratadb.engine.row.ByteSink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The engine's transaction table: begins transactions, orders commits, enforces the timestamp rules and owns the
 * global timestamps.
 *
 * <p>Invariants: (1) commits, prepares, resolutions, timestamp moves and rollback-to-stable are serialized by
 * {@link #lock}; the commit sequence, the log append (so LSN order is commit order) and the publication of the
 * commit all happen under it, the commit record is encoded before it is taken (its timestamps are filled in
 * under it), and durability is awaited after it is released; (2) {@code visibleSeq} only
 * grows and every transaction with a sequence at or below it is COMMITTED; (3) oldest {@code <=} stable and
 * neither moves back; (4) every failed timestamp rule throws INVALID_TIMESTAMP (22023) before anything changes;
 * (5) in AUTO mode commit timestamps strictly increase and stable follows the newest commit whose record is
 * durable.
 *
 * <p>Thread safety: thread-safe. Lock order: a transaction's own thread, then {@link #lock}, then the B+tree's
 * structural lock (never the other way round).
 */
public final class TxnManager {
    private final TimestampMode mode;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong nextTxnId = new AtomicLong(1);
    private final LiveTxns live = new LiveTxns();
    private final HeuristicTable heuristics = new HeuristicTable();
    private final AtomicLong stable = new AtomicLong();
    private final AtomicLong oldest = new AtomicLong();
    private volatile TxnLog log = TxnLog.NONE;
    private volatile CommitGuard guard = CommitGuard.ALLOW;
    private final AtomicInteger commitsSincePrune = new AtomicInteger();
    private final PruneHorizon horizon;
    private final FoldQueue folds = new FoldQueue();

    @GuardedBy("lock")
    private long seq;

    private volatile long visibleSeq;

    @GuardedBy("lock")
    private long lastTs;

    @GuardedBy("lock")
    private long maxDurable;

    @GuardedBy("lock")
    private long stepDown;

    /** A manager assigning AUTO timestamps from {@code clock} (any monotonic-ish source; it is made strict). */
    public TxnManager(TimestampMode mode, LongSupplier clock) {
        this.mode = mode;
        this.clock = clock;
        this.horizon = new PruneHorizon(mode, live, stable, oldest, () -> visibleSeq);
    }

    /** The pruning horizon (checkpoints pin it, the cache asks it what is visible to all). */
    public PruneHorizon horizon() {
        return horizon;
    }

    public TimestampMode mode() {
        return mode;
    }

    /** Installs the check every commit, prepare and prepared rollback passes under the commit lock. */
    public void setGuard(CommitGuard g) {
        guard = g;
    }

    /** Starts recording through {@code l} (after recovery, which must not log again). */
    public void setLog(TxnLog l) {
        log = l;
    }

    // ---------------------------------------------------------------- begin

    /** Begins a transaction; a read timestamp below oldest fails with INVALID_TIMESTAMP. */
    public Txn begin(TransactionOptions options) {
        return options.readTimestamp() == 0
                ? register(options)
                : horizon.begin(options.readTimestamp(), () -> register(options));
    }

    /**
     * Creates a transaction on the current snapshot and publishes it in the live set, then confirms the snapshot:
     * if a commit moved the visible sequence meanwhile, a horizon refresh may have missed the transaction with a
     * newer sequence, so it starts over on the new snapshot (see {@link PruneHorizon}, invariant (3)).
     */
    private Txn register(TransactionOptions options) {
        long id = nextTxnId.getAndIncrement();
        long s = visibleSeq;
        while (true) {
            Txn t = new Txn(this, id, options, s);
            live.add(t);
            long again = visibleSeq;
            if (again == s) {
                return t;
            }
            live.remove(t);
            s = again;
        }
    }

    // ---------------------------------------------------------------- timestamps

    /** Sets the commit timestamp of an active or prepared transaction. */
    void setCommitTimestamp(Txn t, long ts) {
        if (t.state() != TxnState.ACTIVE && t.state() != TxnState.PREPARED) {
            t.checkActive("set commit timestamp");
        }
        if (ts <= 0) {
            throw badTs(t, "commit timestamp " + ts + " must be positive");
        }
        if (t.state() == TxnState.PREPARED) {
            if (ts < t.prepareTs()) {
                throw badTs(t, "commit timestamp " + ts + " < prepare timestamp " + t.prepareTs());
            }
        } else {
            checkOrdinaryCommitTs(t, ts);
        }
        t.setCommitTsOnly(ts);
    }

    private void checkOrdinaryCommitTs(Txn t, long ts) {
        long st = stable.get();
        if (ts <= st) {
            throw badTs(t, "commit timestamp " + ts + " must be after the stable timestamp " + st);
        }
        long rt = t.options().readTimestamp();
        if (rt != 0 && ts < rt) {
            throw badTs(t, "commit timestamp " + ts + " < read timestamp " + rt);
        }
    }

    private static StrataException badTs(Txn t, String why) {
        return new StrataException(ErrorCode.INVALID_TIMESTAMP, "transaction " + t.id() + ": " + why);
    }

    @GuardedBy("lock")
    private long nextAutoTsLocked() {
        long ts = Math.max(Math.max(lastTs + 1, clock.getAsLong()), stable.get() + 1);
        lastTs = ts;
        return ts;
    }

    /** Moves a global timestamp; see {@code timestamps.md} for the rules. */
    public void setTimestamp(TimestampKind kind, long v) {
        if (v < 0) {
            throw new StrataException(ErrorCode.INVALID_TIMESTAMP, kind + " timestamp " + v + " < 0");
        }
        lock.lock();
        try {
            long o = oldest.get();
            long s = stable.get();
            switch (kind) {
                case OLDEST -> {
                    if (v < o) {
                        throw new StrataException(
                                ErrorCode.INVALID_TIMESTAMP,
                                "oldest timestamp cannot move back from " + o + " to " + v);
                    }
                    if (v > s) {
                        throw new StrataException(
                                ErrorCode.INVALID_TIMESTAMP,
                                "oldest timestamp " + v + " cannot be after the stable timestamp " + s);
                    }
                    log.timestampsLocked(v, s);
                    oldest.set(v);
                }
                case STABLE -> {
                    if (v < s) {
                        throw new StrataException(
                                ErrorCode.INVALID_TIMESTAMP,
                                "stable timestamp cannot move back from " + s + " to " + v);
                    }
                    if (v < o) {
                        throw new StrataException(
                                ErrorCode.INVALID_TIMESTAMP,
                                "stable timestamp " + v + " cannot be before the oldest timestamp " + o);
                    }
                    log.timestampsLocked(o, v);
                    stable.set(v);
                    lastTs = Math.max(lastTs, v);
                }
                case STEP_DOWN -> {
                    if (v != 0 && v <= s) {
                        throw new StrataException(
                                ErrorCode.INVALID_TIMESTAMP,
                                "step-down timestamp " + v + " must be after the stable timestamp " + s);
                    }
                    stepDown = v; // commits after it are refused (rolled back) until the step-down
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The planned step-down timestamp, 0 if none. */
    public long stepDownTimestamp() {
        lock.lock();
        try {
            return stepDown;
        } finally {
            lock.unlock();
        }
    }

    /** The commit sequence new transactions see (a checkpoint's consistent point reads it under the lock). */
    public long visibleSeq() {
        return visibleSeq;
    }

    /** The global timestamps now. */
    public GlobalTimestamps timestamps() {
        lock.lock();
        try {
            long allDurable = maxDurable;
            for (Txn t : live.preparedTxns()) {
                allDurable = Math.min(allDurable, t.prepareTs() - 1);
            }
            return new GlobalTimestamps(oldest.get(), stable.get(), Math.max(0, allDurable), 0);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- prepare, commit, rollback

    /** Prepares an active transaction at {@code ts} (0 in AUTO mode: the engine chooses). */
    void prepare(Txn t, long ts, @Nullable GlobalTxnId xid) {
        synchronized (t) { // resolutions of one transaction are serialized (the engine may roll it back)
            prepareResolving(t, ts, xid);
        }
    }

    private void prepareResolving(Txn t, long ts, @Nullable GlobalTxnId xid) {
        t.checkActive("prepare");
        if (t.commitTs() != 0) {
            throw badTs(t, "a commit timestamp was set before prepare");
        }
        if (ts == 0 && mode == TimestampMode.APPLICATION) {
            throw badTs(t, "prepare needs a prepare timestamp in application timestamp mode");
        }
        if (ts < 0) {
            throw badTs(t, "prepare timestamp " + ts + " < 0");
        }
        GlobalTxnId x = xid != null
                ? xid
                : new GlobalTxnId(0, ("strata-txn-" + t.id()).getBytes(StandardCharsets.UTF_8), new byte[0]);
        long lsn;
        lock.lock();
        try {
            long p = ts == 0 ? nextAutoTsLocked() : ts;
            long st = stable.get();
            if (p <= st) {
                throw badTs(t, "prepare timestamp " + p + " must be after the stable timestamp " + st);
            }
            long rt = t.options().readTimestamp();
            if (rt != 0 && p < rt) {
                throw badTs(t, "prepare timestamp " + p + " < read timestamp " + rt);
            }
            guard.checkLocked(t);
            if (live.hasPrepared(x)) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT, "a prepared transaction with xid " + x + " already exists");
            }
            if (heuristics.contains(x)) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        "xid " + x + " has a remembered heuristic outcome; forget it before reusing the xid");
            }
            t.setPrepared(p, x);
            try {
                lsn = log.prepareLocked(t);
            } catch (RuntimeException e) {
                t.setPrepared(0, null);
                throw e;
            }
            lastTs = Math.max(lastTs, p);
            t.owner().publishPrepare(p);
            t.setState(TxnState.PREPARED);
            live.addPrepared(x, t);
        } finally {
            lock.unlock();
        }
        log.awaitDurable(lsn);
    }

    /** Commits an active or prepared transaction; see {@code timestamps.md} for the rules. */
    void commit(Txn t, long commitArg, long durableArg) {
        commit(t, commitArg, durableArg, false);
    }

    private void commit(Txn t, long commitArg, long durableArg, boolean heuristic) {
        // resolutions of one transaction are serialized: the engine may roll it back from another thread
        // (step-down, close) while its owner commits
        synchronized (t) {
            commitResolving(t, commitArg, durableArg, heuristic);
        }
    }

    private void commitResolving(Txn t, long commitArg, long durableArg, boolean heuristic) {
        TxnState st0 = t.state();
        if (st0 != TxnState.ACTIVE && st0 != TxnState.PREPARED) {
            t.checkActive("commit");
        }
        if (commitArg < 0 || durableArg < 0) {
            throw badTs(t, "timestamps must not be negative");
        }
        boolean wasPrepared = st0 == TxnState.PREPARED;
        long c = commitArg != 0 ? commitArg : t.commitTs();
        if (!wasPrepared) {
            if (durableArg != 0 && durableArg != c) {
                throw badTs(
                        t,
                        "durable timestamp " + durableArg + " must equal the commit timestamp " + c
                                + " for a transaction that was not prepared");
            }
            if (c != 0) {
                checkOrdinaryCommitTs(t, c);
            }
        } else {
            if (c == 0 && mode == TimestampMode.APPLICATION && !heuristic) {
                throw badTs(t, "a prepared transaction needs a commit timestamp");
            }
            if (c != 0 && c < t.prepareTs()) {
                throw badTs(t, "commit timestamp " + c + " < prepare timestamp " + t.prepareTs());
            }
            if (durableArg != 0 && c != 0 && durableArg < c) {
                throw badTs(t, "durable timestamp " + durableArg + " < commit timestamp " + c);
            }
        }
        if (c != 0) {
            TxnWrites.checkKeyOrder(t, c);
        }
        if (!wasPrepared && !t.hasWrites()) {
            t.setTimestamps(c, c);
            finish(t, TxnState.COMMITTED);
            return;
        }
        // encoding needs no lock: only ordering, the append and the publication happen under it
        ByteSink encoded = wasPrepared ? null : log.encodeCommit(t);
        long lsn;
        long commitTs;
        lock.lock();
        try {
            if (t.state() != st0) {
                t.checkActive("commit"); // resolved meanwhile by another thread
            }
            commitTs = c;
            if (commitTs == 0 && mode == TimestampMode.AUTO) {
                commitTs = nextAutoTsLocked();
                if (wasPrepared && commitTs < t.prepareTs()) {
                    commitTs = t.prepareTs();
                }
            } else if (commitTs == 0 && heuristic) {
                commitTs = Math.max(t.prepareTs(), stable.get() + 1);
            }
            long durable = durableArg != 0 ? durableArg : commitTs;
            long st = stable.get();
            if (!wasPrepared && commitTs != 0 && commitTs <= st) {
                throw badTs(t, "commit timestamp " + commitTs + " must be after the stable timestamp " + st);
            }
            if (wasPrepared && durable <= st) {
                throw badTs(t, "durable timestamp " + durable + " must be after the stable timestamp " + st);
            }
            guard.checkLocked(t);
            if (stepDown != 0 && commitTs > stepDown && !wasPrepared) {
                String why = "commit timestamp " + commitTs + " straddles the step-down timestamp " + stepDown;
                lock.unlock();
                try {
                    rollback(t, why, true);
                } finally {
                    lock.lock();
                }
                throw new StrataException(
                        ErrorCode.TRANSACTION_ROLLED_BACK,
                        "transaction " + t.id() + ": " + why + "; it was rolled back (commit on the next leader)");
            }
            t.setTimestamps(commitTs, durable);
            try {
                lsn = heuristic ? log.heuristicLocked(t, true) : log.commitLocked(t, encoded);
            } catch (RuntimeException e) {
                t.setTimestamps(wasPrepared ? 0 : c, 0);
                throw e;
            }
            long s = ++seq;
            t.owner().publishCommit(s, commitTs, durable);
            visibleSeq = s;
            lastTs = Math.max(lastTs, commitTs);
            maxDurable = Math.max(maxDurable, durable);
            heuristics.rememberIf(heuristic, () -> outcome(t, true));
            finish(t, TxnState.COMMITTED);
        } finally {
            lock.unlock();
        }
        try {
            log.awaitDurable(lsn);
        } catch (FencedException e) {
            if (!e.unconfirmedRecordsMayBeDurable()) {
                throw e; // the record is not in the log: the commit did not happen anywhere
            }
            throw new StrataException(
                    ErrorCode.COMMIT_OUTCOME_UNKNOWN,
                    "transaction " + t.id() + ": its commit record (LSN " + lsn + ") was handed to the page log,"
                            + " which fenced this node before confirming it durable and may still keep it; whether"
                            + " the transaction committed is decided by the new leader's log: check there before"
                            + " running it again (" + e.getMessage() + ")",
                    e);
        }
        if (mode == TimestampMode.AUTO) {
            stable.accumulateAndGet(commitTs, Math::max);
        }
        folds.offer(t.writes()); // folded into their slots once the horizon passes them
        if (commitsSincePrune.incrementAndGet() >= 64) {
            commitsSincePrune.set(0);
            horizon.refresh();
            folds.drain(horizon);
        }
    }

    /** Rolls back an active or prepared transaction; finished ones are left alone. */
    void rollback(Txn t, @Nullable String reason) {
        rollback(t, reason, false);
    }

    /**
     * Rolls back an active or prepared transaction; with {@code retryable}, its later operations fail with
     * TRANSACTION_ROLLED_BACK (40001) naming {@code reason}.
     */
    void rollback(Txn t, @Nullable String reason, boolean retryable) {
        rollback(t, reason, retryable, false);
    }

    private void rollback(Txn t, @Nullable String reason, boolean retryable, boolean heuristic) {
        synchronized (t) { // see commit: a commit and a rollback of one transaction never interleave
            rollbackResolving(t, reason, retryable, heuristic);
        }
    }

    private void rollbackResolving(Txn t, @Nullable String reason, boolean retryable, boolean heuristic) {
        TxnState st = t.state();
        if (st.finished()) {
            return;
        }
        long lsn = 0;
        if (st == TxnState.PREPARED) {
            lock.lock();
            try {
                guard.checkLocked(t);
                if (t.state() != TxnState.PREPARED) {
                    return; // resolved meanwhile by another thread
                }
                lsn = heuristic ? log.heuristicLocked(t, false) : log.rollbackPreparedLocked(t);
                heuristics.rememberIf(heuristic, () -> outcome(t, false));
                TxnWrites.abort(t, true);
                finish(t, TxnState.ROLLED_BACK);
            } finally {
                lock.unlock();
            }
        } else {
            TxnWrites.abort(t, false);
            finish(t, TxnState.ROLLED_BACK);
        }
        t.markRolledBack(reason, retryable);
        log.awaitDurable(lsn);
    }

    private void finish(Txn t, TxnState end) {
        t.setState(end);
        live.remove(t);
    }

    // ---------------------------------------------------------------- heuristic outcomes

    private static HeuristicOutcome outcome(Txn t, boolean committed) {
        GlobalTxnId x = java.util.Objects.requireNonNull(t.xid(), "a prepared transaction has an xid");
        return new HeuristicOutcome(x, t.id(), committed, t.prepareTs(), committed ? t.commitTs() : 0);
    }

    /**
     * Commits or rolls back the prepared transaction {@code xid} unilaterally and remembers the outcome until
     * {@link #forgetHeuristic}; UNKNOWN_TRANSACTION if no transaction with that xid is prepared.
     */
    public HeuristicOutcome completeHeuristically(GlobalTxnId xid, boolean commit) {
        Txn t = live.prepared(xid);
        if (t == null) {
            throw new StrataException(ErrorCode.UNKNOWN_TRANSACTION, "no transaction with xid " + xid + " is prepared");
        }
        if (commit) {
            commit(t, 0, 0, true);
        } else {
            rollback(t, "rolled back heuristically by an administrator", false, true);
        }
        HeuristicOutcome o = heuristics.get(xid);
        if (o == null) { // resolved by another caller meanwhile
            throw new StrataException(ErrorCode.INVALID_TRANSACTION_STATE, "xid " + xid + " was resolved meanwhile");
        }
        return o;
    }

    /** Forgets the heuristic outcome of {@code xid} (durably); false if none is remembered. */
    public boolean forgetHeuristic(GlobalTxnId xid) {
        long lsn;
        lock.lock();
        try {
            if (!heuristics.contains(xid)) {
                return false;
            }
            lsn = log.forgetHeuristicLocked(xid);
            heuristics.forget(xid);
        } finally {
            lock.unlock();
        }
        log.awaitDurable(lsn);
        return true;
    }

    /** The remembered heuristic outcomes (recovery adds and removes them as the log says). */
    public HeuristicTable heuristics() {
        return heuristics;
    }

    // ---------------------------------------------------------------- rollback to stable

    /**
     * Aborts every committed update whose durable timestamp is after stable, in {@code trees}. Needs no active
     * or prepared transaction (else INVALID_STATE).
     */
    public void rollbackToStable(List<BTree> trees) {
        long lsn;
        lock.lock();
        try {
            if (!live.isEmpty()) {
                throw new StrataException(
                        ErrorCode.INVALID_STATE,
                        "rollback to stable needs no active or prepared transactions; " + live.size() + " exist");
            }
            long s = stable.get();
            lsn = log.rollbackToStableLocked(s);
            for (HeuristicOutcome h : heuristics.list()) {
                lsn = log.rememberHeuristicLocked(h); // the redo window moves past the older records
            }
            applyRollbackToStable(trees, s);
        } finally {
            lock.unlock();
        }
        log.awaitDurable(lsn);
    }

    /** Runs {@code action} under the commit lock (DDL, so its log record is in commit order). */
    public <T> T withCommitLock(java.util.function.Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** The rollback-to-stable sweep (also replayed by recovery); see {@link StableRollback}. */
    public static void applyRollbackToStable(List<BTree> trees, long stableTs) {
        StableRollback.sweep(trees, stableTs);
    }

    // ---------------------------------------------------------------- recovery

    /** An owner for a replayed commit record: committed, with the next commit sequence. */
    public UpdateOwner replayCommit(long txnId, long commitTs, long durableTs) {
        lock.lock();
        try {
            nextTxnId.accumulateAndGet(txnId + 1, Math::max);
            long s = ++seq;
            lastTs = Math.max(lastTs, commitTs);
            maxDurable = Math.max(maxDurable, durableTs);
            if (mode == TimestampMode.AUTO) {
                stable.accumulateAndGet(commitTs, Math::max);
            }
            return UpdateOwner.committed(txnId, s, commitTs, durableTs);
        } finally {
            lock.unlock();
        }
    }

    /** A transaction restored PREPARED from a prepare record; add its writes with {@link #replayWrite}. */
    public Txn replayPrepared(long txnId, GlobalTxnId xid, long prepareTs) {
        nextTxnId.accumulateAndGet(txnId + 1, Math::max);
        Txn t = new Txn(this, txnId, TransactionOptions.defaults(), 0);
        t.setPrepared(prepareTs, xid);
        t.owner().publishPrepare(prepareTs);
        t.setState(TxnState.PREPARED);
        live.add(t);
        live.addPrepared(xid, t);
        lock.lock();
        try {
            lastTs = Math.max(lastTs, prepareTs);
        } finally {
            lock.unlock();
        }
        return t;
    }

    /** Re-applies one write of a restored prepared transaction (no conflict checks: the log is authoritative). */
    public static void replayWrite(Txn t, long tableId, BTree tree, byte[] key, byte @Nullable [] value) {
        TxnWrites.replay(t, tableId, tree, key, value);
    }

    /** Commits a restored prepared transaction from a COMMIT_PREPARED record (the log is authoritative). */
    public void replayCommitPrepared(Txn t, long commitTs, long durableTs) {
        lock.lock();
        try {
            t.setTimestamps(commitTs, durableTs);
            long s = ++seq;
            t.owner().publishCommit(s, commitTs, durableTs);
            lastTs = Math.max(lastTs, commitTs);
            maxDurable = Math.max(maxDurable, durableTs);
            if (mode == TimestampMode.AUTO) {
                stable.accumulateAndGet(commitTs, Math::max);
            }
            finish(t, TxnState.COMMITTED);
        } finally {
            lock.unlock();
        }
    }

    /** Rolls back a restored prepared transaction from a ROLLBACK_PREPARED record (no guard, no log record). */
    public void replayRollbackPrepared(Txn t) {
        lock.lock();
        try {
            TxnWrites.abort(t, true);
            finish(t, TxnState.ROLLED_BACK);
        } finally {
            lock.unlock();
        }
    }

    /** Restores the global timestamps from a timestamp record. */
    public void replayTimestamps(long old, long st) {
        oldest.accumulateAndGet(old, Math::max);
        stable.accumulateAndGet(st, Math::max);
    }

    /**
     * Folds, in the resident leaves of {@code trees}, each key's newest version that every present and future
     * reader sees (after recovery: loaded and replayed versions were never offered for folding by a commit).
     */
    public void foldResident(Iterable<BTree> trees) {
        horizon.refresh();
        for (BTree t : trees) {
            t.forEachSlot(horizon::foldNewestCovered);
        }
    }

    /** Makes every replayed commit visible to new transactions. */
    public void finishReplay() {
        lock.lock();
        try {
            visibleSeq = seq;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- introspection

    /** The prepared transaction with that xid. */
    public Optional<Txn> prepared(GlobalTxnId xid) {
        return live.preparedOptional(xid);
    }

    /** Active and prepared transactions, by id. */
    public List<TransactionInfo> transactions() {
        return live.infos();
    }

    /** The prepared transaction with that id, or null. */
    public @Nullable Txn preparedById(long txnId) {
        return live.preparedById(txnId);
    }

    /** Every prepared transaction. */
    public List<Txn> preparedTxns() {
        return List.copyOf(live.preparedTxns());
    }

    /** The smallest stable-set generation a live transaction reads, or {@code Long.MAX_VALUE} if none. */
    public long minStableGeneration() {
        return live.minStableGeneration();
    }

    /**
     * Rolls back every ACTIVE transaction that has writes (step-down), retryably: their next operation fails
     * with TRANSACTION_ROLLED_BACK naming {@code reason}. Read-only transactions continue. Returns how many.
     */
    public int rollbackWriters(String reason) {
        return rollbackAll(live.active(Txn::hasWritesShared), reason, true);
    }

    /** Rolls {@code t} back so that its next operation fails with TRANSACTION_ROLLED_BACK naming {@code why}. */
    public void rollbackRetryably(Txn t, String why) {
        rollback(t, why, true);
    }

    /**
     * Rolls back every ACTIVE transaction, retryably (a follower starting over: their snapshots would mix two
     * states). Returns how many.
     */
    public int rollbackReaders(String reason) {
        return rollbackAll(live.active(t -> true), reason, true);
    }

    private int rollbackAll(List<Txn> ts, String reason, boolean retryable) {
        for (Txn t : ts) {
            rollback(t, reason, retryable);
        }
        return ts.size();
    }

    /** Forgets every prepared transaction without resolving it (a follower about to replay the log again). */
    public void forgetPrepared() {
        live.forgetPrepared();
    }

    /** Clears the planned step-down timestamp (the step-down it announced has happened). */
    public void clearStepDown() {
        lock.lock();
        try {
            stepDown = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Rolls back every ACTIVE transaction (engine close); prepared ones stay for recovery. */
    public void rollbackActive(String reason) {
        rollbackAll(live.active(t -> true), reason, false);
    }

    /** The number of active or prepared transactions. */
    public int liveCount() {
        return live.size();
    }
}
