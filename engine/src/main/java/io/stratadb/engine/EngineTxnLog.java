package io.stratadb.engine;

import io.stratadb.api.TxnState;
import io.stratadb.engine.checkpoint.RedoWindow;
import io.stratadb.engine.log.CommitLog;
import io.stratadb.engine.log.LogCodec;
import io.stratadb.engine.log.LogEntry;
import io.stratadb.engine.log.RecordType;
import io.stratadb.engine.txn.Txn;
import io.stratadb.engine.txn.TxnLog;
import io.stratadb.engine.txn.Write;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The bridge from transaction events to commit-log records.
 *
 * <p>Invariants: one COMMIT record per committed transaction with writes, one PREPARE record per prepare, one
 * COMMIT_PREPARED or ROLLBACK_PREPARED per resolution; aborted writes (savepoint rollbacks) are left out.
 *
 * <p>Thread safety: thread-safe; {@link #encodeCommit} is called before the commit lock, the rest under it.
 */
final class EngineTxnLog implements TxnLog {
    private final CommitLog log;
    private final RedoWindow redo;

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

    @Override
    public byte[] encodeCommit(Txn t) {
        // timestamps 0 for now: commitLocked writes the ones chosen under the commit lock
        return LogCodec.encode(new LogEntry.TxnEntry(RecordType.COMMIT, t.id(), 0, 0, 0, null, ops(t)));
    }

    @Override
    public long commitLocked(Txn t, byte @Nullable [] encoded) {
        if (t.state() == TxnState.PREPARED) {
            long lsn = log.append(
                    new LogEntry.Resolution(RecordType.COMMIT_PREPARED, t.id(), t.commitTs(), t.durableTs()));
            redo.resolved(t.id(), lsn, t.durableTs());
            return lsn;
        }
        byte[] payload = encoded != null ? encoded : encodeCommit(t);
        LogCodec.patchCommitTimestamps(payload, t.commitTs(), t.durableTs());
        long lsn = log.appendEncoded(RecordType.COMMIT.code(), payload);
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
    public void awaitDurable(long lsn) {
        log.awaitDurable(lsn);
    }
}
