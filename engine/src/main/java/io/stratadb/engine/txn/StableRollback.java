package io.stratadb.engine.txn;

import io.stratadb.api.TxnState;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import java.util.List;

/**
 * The rollback-to-stable sweep: aborts every committed update whose durable timestamp is after stable.
 *
 * <p>Invariants: (1) after the sweep no update durable after {@code stableTs} is visible to anyone; (2) a key
 * left with no live update gets a globally visible tombstone at the tail of its chain (as WiredTiger's RTS
 * does when nothing stable exists); (3) prepared and active updates are not touched (the caller ensures there
 * are none); (4) a folded version ({@code Slot#base}) is never rolled back: only versions durable at or below
 * the stable timestamp are folded, and stable never moves back.
 *
 * <p>Thread safety: run under the commit lock with no live transactions (or single-threaded in recovery).
 */
final class StableRollback {
    private StableRollback() {}

    static void sweep(List<BTree> trees, long stableTs) {
        for (BTree tree : trees) {
            tree.forEachSlot(slot -> {
                boolean aborted = false;
                boolean live = false;
                for (Update u = slot.head(); u != null; u = u.next()) {
                    if (u.isAborted()) {
                        continue;
                    }
                    UpdateOwner o = u.owner();
                    if (o.state() == TxnState.COMMITTED && o.durableTs() > stableTs) {
                        u.abort();
                        aborted = true;
                    } else {
                        live = true;
                    }
                }
                if (slot.base() != null) {
                    live = true; // folded versions are durable at or below stable (never folded otherwise)
                }
                Update head = slot.head();
                if (aborted && !live && head != null) {
                    slot.appendTombstoneBelow(head);
                }
            });
        }
    }
}
