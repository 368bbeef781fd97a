package io.stratadb.engine.txn;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TxnState;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The update-chain operations on a transaction's write set: the key-order check at commit, the abort of its
 * updates at rollback, and the re-application of a prepared transaction's writes at recovery.
 *
 * <p>Invariants: (1) an aborted update stays in its chain (readers skip it) unless every update of the slot is
 * aborted, when an ordinary rollback removes the slot; (2) rolling back a prepared insert leaves a globally
 * visible tombstone at the tail of the key's chain, and no other mark (seed 004), so the key is absent at every
 * timestamp, also after the page is written out and read back.
 *
 * <p>Thread safety: stateless; callers serialize the resolutions of one transaction (see {@link TxnManager}).
 */
final class TxnWrites {
    private TxnWrites() {}

    /** Fails if a key {@code t} wrote already has a committed update with a timestamp after {@code c}. */
    static void checkKeyOrder(Txn t, long c) {
        for (Write w : t.writes()) {
            long before = -1;
            for (Update u = w.update().next(); u != null; u = u.next()) {
                if (u.isAborted() || u.owner() == t.owner()) {
                    continue;
                }
                UpdateOwner o = u.owner();
                before = o.state() == TxnState.COMMITTED ? o.commitTs() : 0;
                break;
            }
            if (before < 0) {
                Slot s = w.slot(); // no update below: the folded version, if any, is the earlier one
                synchronized (s) {
                    before = s.base() != null ? s.baseTs() : 0;
                }
            }
            if (before > c) {
                throw new StrataException(
                        ErrorCode.INVALID_TIMESTAMP,
                        "transaction " + t.id() + ": commit timestamp " + c + " is before timestamp " + before
                                + " of an earlier update of a key it wrote (table id " + w.tableId() + ")");
            }
        }
    }

    /** Aborts every update of {@code t}; see the invariants for what a prepared insert leaves behind. */
    static void abort(Txn t, boolean wasPrepared) {
        t.owner().publishRollback();
        List<Write> ws;
        synchronized (t.writes()) { // the owner thread may still be adding one
            ws = List.copyOf(t.writes());
        }
        for (Write w : ws) {
            w.update().abort();
        }
        for (Write w : ws) {
            if (wasPrepared) {
                if (!hasLiveValueBelow(w.slot(), w.update())) {
                    // seed 004: a rolled-back prepared insert leaves a globally visible tombstone at the tail
                    w.slot().appendTombstoneBelow(w.update());
                }
            } else {
                w.tree().removeIfAllAborted(w.slot());
            }
        }
    }

    private static boolean hasLiveValueBelow(Slot slot, Update u) {
        for (Update x = u.next(); x != null; x = x.next()) {
            if (!x.isAborted()) {
                return !x.isTombstone();
            }
        }
        byte[] b = slot.base(); // the folded version is below every update of the chain
        return b != null && b != Slot.TOMBSTONE;
    }

    /** Re-applies one write of a restored prepared transaction (no conflict checks: the log is authoritative). */
    static void replay(Txn t, long tableId, BTree tree, byte[] key, byte @Nullable [] value) {
        while (true) {
            var slot = tree.findOrInsert(key);
            Update head = slot.head();
            if (Slot.gone(head)) {
                continue;
            }
            Update u = new Update(t.owner(), value, head);
            if (slot.casHead(head, u)) {
                t.writes().add(new Write(tableId, tree, slot, u));
                return;
            }
        }
    }
}
