package io.stratadb.engine;

import io.stratadb.api.TxnState;
import io.stratadb.engine.log.CommitLog;
import io.stratadb.engine.log.LogEntry;
import io.stratadb.engine.log.RecordType;
import io.stratadb.engine.txn.Txn;
import io.stratadb.engine.txn.TxnLog;
import io.stratadb.engine.txn.Write;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge from transaction events to commit-log records.
 *
 * <p>Invariants: one COMMIT record per committed transaction with writes, one PREPARE record per prepare, one
 * COMMIT_PREPARED or ROLLBACK_PREPARED per resolution; aborted writes (savepoint rollbacks) are left out.
 *
 * <p>Thread safety: thread-safe; called under the commit lock.
 */
final class EngineTxnLog implements TxnLog {
    private final CommitLog log;

    EngineTxnLog(CommitLog log) {
        this.log = log;
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
    public long commitLocked(Txn t) {
        if (t.state() == TxnState.PREPARED) {
            return log.append(new LogEntry.Resolution(RecordType.COMMIT_PREPARED, t.id(), t.commitTs(), t.durableTs()));
        }
        return log.append(
                new LogEntry.TxnEntry(RecordType.COMMIT, t.id(), t.commitTs(), t.durableTs(), 0, null, ops(t)));
    }

    @Override
    public long prepareLocked(Txn t) {
        return log.append(new LogEntry.TxnEntry(RecordType.PREPARE, t.id(), 0, 0, t.prepareTs(), t.xid(), ops(t)));
    }

    @Override
    public long rollbackPreparedLocked(Txn t) {
        return log.append(new LogEntry.Resolution(RecordType.ROLLBACK_PREPARED, t.id(), 0, 0));
    }

    @Override
    public long timestampsLocked(long oldest, long stable) {
        return log.append(new LogEntry.Timestamps(oldest, stable));
    }

    @Override
    public long rollbackToStableLocked(long stable) {
        return log.append(new LogEntry.RollbackToStable(stable));
    }

    @Override
    public void awaitDurable(long lsn) {
        log.awaitDurable(lsn);
    }
}
