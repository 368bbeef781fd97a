package io.stratadb.engine;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.HeuristicOutcome;
import io.stratadb.api.StrataException;
import io.stratadb.api.TxnState;
import io.stratadb.engine.checkpoint.RedoWindow;
import io.stratadb.engine.log.CommitLog;
import io.stratadb.engine.log.LogCodec;
import io.stratadb.engine.log.LogEntry;
import io.stratadb.engine.log.RecordType;
import io.stratadb.engine.row.ByteSink;
import io.stratadb.engine.txn.Txn;
import io.stratadb.engine.txn.TxnLog;
import io.stratadb.engine.txn.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The bridge from transaction events to commit-log records.
 *
 * <p>Invariants: one COMMIT record per committed transaction with writes, one PREPARE record per prepare, one
 * COMMIT_PREPARED, ROLLBACK_PREPARED or resolving HEURISTIC per resolution; one FORGET_HEURISTIC per forgotten
 * outcome; aborted writes (savepoint rollbacks) are left out.
 *
 * <p>Thread safety: thread-safe; {@link #encodeCommit} is called before the commit lock, the rest under it. Each
 * thread encodes its commit records into its own reused sink, which {@link #commitLocked} appends (the page log
 * copies it) before the same thread encodes its next one.
 */
final class EngineTxnLog implements TxnLog {
    private final CommitLog log;
    private final RedoWindow redo;

    /** The largest commit record encoded into a thread's reused sink (larger ones get their own array). */
    static final int KEEP_BYTES = 64 << 10;

    /** Each committing thread's sink for its commit records (reused: the page log copies or gets a copy). */
    private static final ThreadLocal<ByteSink> SCRATCH = ThreadLocal.withInitial(() -> new ByteSink(512));

    EngineTxnLog(CommitLog log, RedoWindow redo) {
        this.log = log;
        this.redo = redo;
    }

    private static List<LogEntry.Op> ops(Txn t) {
        List<LogEntry.Op> ops = new ArrayList<>(t.writes().size());
        for (Write w : t.writes()) {
            if (!w.update().isAborted()) {
                ops.add(new LogEntry.Op(w.tableId(), w.slot().key(), w.update().value()));
            }
        }
        return ops;
    }

    /**
     * Encodes {@code t}'s COMMIT record straight from its writes (no entry objects) into this thread's reused
     * sink (a fresh one for a record over {@link #KEEP_BYTES}), with timestamps 0 and no checksum yet: {@link
     * #commitLocked} writes the timestamps chosen under the commit lock and the checksum. The bytes are those of
     * {@code LogCodec.encode} for the same entry.
     */
    @Override
    public ByteSink encodeCommit(Txn t) {
        List<Write> ws = t.writes();
        for (int attempt = 0; ; attempt++) {
            int n = ws.size();
            int count = 0;
            int size = 0;
            for (int i = 0; i < n; i++) {
                Write w = ws.get(i);
                if (!w.update().isAborted()) {
                    count++;
                    size += LogCodec.opSize(w.slot().key(), w.update().value());
                }
            }
            size += LogCodec.txnHeaderSize(count);
            ByteSink out = sink(size);
            LogCodec.putTxnHeader(out, RecordType.COMMIT, t.id(), 0, 0, 0, null, count);
            int written = 0;
            for (int i = 0; i < n; i++) {
                Write w = ws.get(i);
                if (!w.update().isAborted()) {
                    written++;
                    LogCodec.putOp(out, w.tableId(), w.slot().key(), w.update().value());
                }
            }
            out.putInt(0); // the checksum, computed with the timestamps
            if (written == count && out.size() == size) {
                return out;
            }
            // a write was aborted between the passes: cannot happen (a rollback waits for the transaction's monitor,
            // which the committing thread holds), but a record must never be short: encode again, or fail
            if (attempt > 0) {
                throw new StrataException(
                        ErrorCode.INTERNAL,
                        "transaction " + t.id() + ": its commit record came out at " + out.size() + " bytes for "
                                + written + " writes, expected " + size + " bytes for " + count);
            }
        }
    }

    private static ByteSink sink(int size) {
        if (size > KEEP_BYTES) {
            return ByteSink.exact(size);
        }
        ByteSink s = SCRATCH.get();
        s.reset();
        return s.reserve(size);
    }

    @Override
    public long commitLocked(Txn t, @Nullable ByteSink encoded) {
        if (t.state() == TxnState.PREPARED) {
            long lsn = log.append(
                    new LogEntry.Resolution(RecordType.COMMIT_PREPARED, t.id(), t.commitTs(), t.durableTs()));
            redo.resolved(t.id(), lsn, t.durableTs());
            return lsn;
        }
        ByteSink e = encoded != null ? encoded : encodeCommit(t);
        byte[] buf = e.array();
        LogCodec.patchCommitTimestamps(buf, e.size(), t.commitTs(), t.durableTs());
        long lsn = log.appendReused(RecordType.COMMIT.code(), buf, e.size());
        redo.committed(lsn, t.durableTs());
        return lsn;
    }

    @Override
    public long prepareLocked(Txn t) {
        long lsn = log.append(new LogEntry.TxnEntry(RecordType.PREPARE, t.id(), 0, 0, t.prepareTs(), t.xid(), ops(t)));
        redo.prepared(t.id(), lsn);
        return lsn;
    }

    @Override
    public long rollbackPreparedLocked(Txn t) {
        long lsn = log.append(new LogEntry.Resolution(RecordType.ROLLBACK_PREPARED, t.id(), 0, 0));
        redo.resolved(t.id(), lsn, 0);
        return lsn;
    }

    @Override
    public long timestampsLocked(long oldest, long stable) {
        return log.append(new LogEntry.Timestamps(oldest, stable));
    }

    @Override
    public long rollbackToStableLocked(long stable) {
        long lsn = log.append(new LogEntry.RollbackToStable(stable));
        redo.rolledBackToStable();
        return lsn;
    }

    @Override
    public long heuristicLocked(Txn t, boolean committed) {
        GlobalTxnId xid = Objects.requireNonNull(t.xid(), "a prepared transaction has an xid");
        long c = committed ? t.commitTs() : 0;
        long d = committed ? t.durableTs() : 0;
        long lsn = log.append(new LogEntry.Heuristic(t.id(), xid, committed, true, t.prepareTs(), c, d));
        redo.resolved(t.id(), lsn, d);
        redo.heuristic(xid, lsn);
        return lsn;
    }

    @Override
    public long rememberHeuristicLocked(HeuristicOutcome h) {
        long lsn = log.append(new LogEntry.Heuristic(
                h.txnId(), h.xid(), h.committed(), false, h.prepareTimestamp(), h.commitTimestamp(), 0));
        redo.heuristic(h.xid(), lsn);
        return lsn;
    }

    @Override
    public long forgetHeuristicLocked(GlobalTxnId xid) {
        long lsn = log.append(new LogEntry.ForgetHeuristic(xid));
        redo.forgotten(xid);
        return lsn;
    }

    @Override
    public void awaitDurable(long lsn) {
        log.awaitDurable(lsn);
    }
}
