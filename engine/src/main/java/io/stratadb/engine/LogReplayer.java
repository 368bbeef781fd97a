package io.stratadb.engine;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.HeuristicOutcome;
import io.stratadb.api.StrataException;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.SchemaCodec;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.checkpoint.RedoWindow;
import io.stratadb.engine.log.LogEntry;
import io.stratadb.engine.log.RecordType;
import io.stratadb.engine.txn.Txn;
import io.stratadb.engine.txn.TxnManager;
import io.stratadb.engine.txn.Write;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Recovery: applies decoded log records, in LSN order, to an empty catalogue and transaction table.
 *
 * <p>Invariants: (1) a COMMIT record is applied whole (its writes become visible together when replay ends);
 * (2) a PREPARE record restores its transaction PREPARED, resolvable by xid; a later COMMIT_PREPARED or
 * ROLLBACK_PREPARED (or a resolving HEURISTIC record) resolves it exactly as the live engine did; HEURISTIC and
 * FORGET_HEURISTIC records rebuild the remembered heuristic outcomes; (3) writes to tables dropped before the record
 * are skipped, as the live engine discarded them; (4) a record that contradicts the replayed state (unknown
 * prepared transaction, duplicate table) fails with CORRUPTION; (5) after a checkpoint was loaded, records at or
 * below its consistent point whose effects it already holds are not applied again: DDL and rollback-to-stable
 * records, and commits (or prepared commits) durable at or below its timestamp; prepare records are always
 * restored; (6) every record is reported to the {@link RedoWindow}, so the next checkpoint knows where replay
 * must start.
 *
 * <p>A follower keeps one replayer for its whole life and feeds it every record it tails, into its ingest trees
 * (its catalogue entries' trees).
 *
 * <p>Thread safety: single-threaded: engine open, or the follower's log applier.
 */
final class LogReplayer {
    private final Catalog catalog;
    private final TxnManager txns;
    private final RedoWindow redo;
    private final boolean fromCheckpoint;
    private final long pointLsn;
    private final long checkpointTs;
    private final Map<Long, Txn> prepared = new HashMap<>();
    private long records;

    /** A replayer over an empty catalogue (no checkpoint). */
    LogReplayer(Catalog catalog, TxnManager txns, RedoWindow redo) {
        this(catalog, txns, redo, false, 0, 0);
    }

    /**
     * A replayer on top of a loaded checkpoint whose consistent point is {@code pointLsn} at {@code
     * checkpointTs} (when {@code fromCheckpoint}).
     */
    LogReplayer(
            Catalog catalog,
            TxnManager txns,
            RedoWindow redo,
            boolean fromCheckpoint,
            long pointLsn,
            long checkpointTs) {
        this.catalog = catalog;
        this.txns = txns;
        this.redo = redo;
        this.fromCheckpoint = fromCheckpoint;
        this.pointLsn = pointLsn;
        this.checkpointTs = checkpointTs;
    }

    /** Whether the loaded checkpoint already holds the effects of a record at {@code lsn} durable at {@code ts}. */
    private boolean covered(long lsn, long durableTs) {
        return fromCheckpoint && lsn <= pointLsn && durableTs <= checkpointTs;
    }

    /** Whether the loaded checkpoint already reflects a DDL or rollback-to-stable record at {@code lsn}. */
    private boolean beforePoint(long lsn) {
        return fromCheckpoint && lsn <= pointLsn;
    }

    long records() {
        return records;
    }

    void apply(long lsn, LogEntry e) {
        records++;
        if (e instanceof LogEntry.TxnEntry t) {
            if (t.type() == RecordType.COMMIT) {
                UpdateOwner owner = txns.replayCommit(t.txnId(), t.commitTs(), t.durableTs());
                redo.committed(lsn, t.durableTs());
                if (covered(lsn, t.durableTs())) {
                    return;
                }
                for (LogEntry.Op op : t.ops()) {
                    TableEntry table = catalog.byId(op.tableId());
                    if (table != null) {
                        prepend(table.tree(), op.key(), new Update(owner, op.value(), null));
                    }
                }
            } else {
                if (t.xid() == null) {
                    throw corrupt(lsn, "prepare record of txn " + t.txnId() + " has no xid");
                }
                Txn p = txns.replayPrepared(t.txnId(), t.xid(), t.prepareTs());
                for (LogEntry.Op op : t.ops()) {
                    TableEntry table = catalog.byId(op.tableId());
                    if (table != null) {
                        TxnManager.replayWrite(p, op.tableId(), table.tree(), op.key(), op.value());
                    }
                }
                prepared.put(t.txnId(), p);
                redo.prepared(t.txnId(), lsn);
            }
        } else if (e instanceof LogEntry.Resolution r) {
            boolean commit = r.type() == RecordType.COMMIT_PREPARED;
            resolve(lsn, r.type().toString(), r.txnId(), commit, r.commitTs(), r.durableTs());
        } else if (e instanceof LogEntry.Heuristic h) {
            if (h.resolves()) {
                resolve(lsn, "heuristic completion", h.txnId(), h.committed(), h.commitTs(), h.durableTs());
            }
            txns.heuristics()
                    .remember(new HeuristicOutcome(h.xid(), h.txnId(), h.committed(), h.prepareTs(), h.commitTs()));
            redo.heuristic(h.xid(), lsn);
        } else if (e instanceof LogEntry.ForgetHeuristic f) {
            txns.heuristics().forget(f.xid());
            redo.forgotten(f.xid());
        } else if (e instanceof LogEntry.CreateTable c) {
            if (beforePoint(lsn)) {
                return;
            }
            try {
                catalog.add(c.tableId(), SchemaCodec.decode(c.schema()));
            } catch (StrataException x) {
                if (x.code() == ErrorCode.TABLE_EXISTS) {
                    throw corrupt(lsn, x.getMessage());
                }
                throw x;
            }
        } else if (e instanceof LogEntry.DropTable d) {
            if (beforePoint(lsn)) {
                return;
            }
            TableEntry t = catalog.byId(d.tableId());
            if (t == null) {
                throw corrupt(lsn, "drop of unknown table id " + d.tableId());
            }
            catalog.remove(t.schema().name());
        } else if (e instanceof LogEntry.Timestamps ts) {
            txns.replayTimestamps(ts.oldest(), ts.stable());
        } else if (e instanceof LogEntry.RollbackToStable rts) {
            redo.rolledBackToStable();
            if (beforePoint(lsn)) {
                return;
            }
            List<BTree> trees = new ArrayList<>();
            for (TableEntry t : catalog.entries()) {
                trees.add(t.tree());
            }
            TxnManager.applyRollbackToStable(trees, rts.stable());
        }
    }

    /** Resolves a restored prepared transaction as the record at {@code lsn} says. */
    private void resolve(long lsn, String what, long txnId, boolean commit, long commitTs, long durableTs) {
        Txn p = prepared.remove(txnId);
        if (p == null) {
            p = txns.preparedById(txnId); // prepared on this node while it led (a follower after step-down)
        }
        if (p == null && beforePoint(lsn)) {
            // its prepare record lies before the replay start: the checkpoint already holds the outcome
            return;
        }
        if (p == null) {
            throw corrupt(lsn, what + " of txn " + txnId + " which is not prepared");
        }
        if (commit) {
            txns.replayCommitPrepared(p, commitTs, durableTs);
            redo.resolved(txnId, lsn, durableTs);
            if (covered(lsn, durableTs)) {
                for (Write w : p.writes()) {
                    w.update().abort(); // the checkpoint already holds these versions
                }
            }
        } else {
            txns.replayRollbackPrepared(p);
            redo.resolved(txnId, lsn, 0);
        }
    }

    private static void prepend(BTree tree, byte[] key, Update u) {
        while (true) {
            Slot s = tree.findOrInsert(key);
            @Nullable Update head = s.head();
            if (Slot.gone(head)) {
                continue;
            }
            Update linked = new Update(u.owner(), u.value(), head);
            if (s.casHead(head, linked)) {
                return;
            }
        }
    }

    private static StrataException corrupt(long lsn, String why) {
        return new StrataException(ErrorCode.CORRUPTION, "log record at LSN " + lsn + ": " + why);
    }
}
