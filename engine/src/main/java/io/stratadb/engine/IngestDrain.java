package io.stratadb.engine;

import io.stratadb.api.TxnState;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.layered.StableSet;
import io.stratadb.engine.txn.Txn;
import io.stratadb.engine.txn.TxnManager;
import io.stratadb.engine.txn.Write;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The step-up drain: moves every ingest version newer than the picked-up checkpoint onto the stable tree, which
 * then becomes the table's live tree.
 *
 * <p>Per key, the ingest chain's versions that the checkpoint does not hold are prepended to the stable chain
 * oldest first, keeping their owners (so commit sequence, timestamps and prepared state are unchanged and every
 * reader's view stays the same). Those are: committed versions durable after the checkpoint timestamp (values
 * and tombstones, so removes and remove-then-reinsert come across) and versions of prepared transactions, whose
 * writes are re-pointed to the stable tree so that the new leader can commit or roll them back. Aborted
 * versions, versions of transactions that never committed, versions the checkpoint covers, and globally visible
 * tombstones (a rolled-back prepared insert or a rollback-to-stable found nothing older in ingest; the stable
 * tree is authoritative below) are left behind with the ingest tree.
 *
 * <p>Invariants: (1) no committed version newer than the checkpoint is lost; (2) chain order stays newest first
 * (ingest versions are newer than every stable version of the key, except the rare prepared commit below a
 * checkpointed commit, which the layered read rule and this order agree on); (3) runs while the node accepts no
 * writes (STEPPING_UP) and the log applier is stopped.
 *
 * <p>Thread safety: single-threaded; readers may run concurrently.
 */
final class IngestDrain {
    private IngestDrain() {}

    /** Drains every table of {@code catalog} onto its tree in {@code stable}; returns the versions moved. */
    static long drainAll(Catalog catalog, TxnManager txns, StableSet stable) {
        IdentityHashMap<Update, Moved> moved = new IdentityHashMap<>();
        long n = 0;
        for (TableEntry t : catalog.entries()) {
            BTree target = stable.trees().get(t.id());
            if (target == null) {
                target = new BTree(); // created after the checkpoint
            }
            n += drain(t.tree(), target, stable.checkpointTs(), moved);
            t.replaceTree(target);
        }
        for (Txn p : txns.preparedTxns()) {
            p.replaceWrites(w -> {
                Moved m = moved.get(w.update());
                return m == null ? w : new Write(w.tableId(), m.tree(), m.slot(), m.update());
            });
        }
        return n;
    }

    private record Moved(BTree tree, Slot slot, Update update) {}

    private static long drain(BTree ingest, BTree stable, long checkpointTs, IdentityHashMap<Update, Moved> moved) {
        long[] n = {0};
        ingest.forEachSlot(s -> {
            List<Update> keep = new ArrayList<>();
            for (Update u = s.head(); u != null; u = u.next()) {
                if (u != Slot.REMOVED && carries(u, checkpointTs)) {
                    keep.add(u);
                }
            }
            Update folded = s.baseVersion(); // the oldest version: a tree folded while it served a leader
            if (folded != null && carries(folded, checkpointTs)) {
                keep.add(folded);
            }
            if (keep.isEmpty()) {
                return;
            }
            while (true) {
                Slot target = stable.findOrInsert(s.key());
                @Nullable Update head = target.head();
                if (Slot.gone(head)) {
                    continue;
                }
                @Nullable Update below = head;
                Update top = null;
                List<Update> copies = new ArrayList<>(keep.size());
                for (int i = keep.size() - 1; i >= 0; i--) {
                    Update u = keep.get(i);
                    top = new Update(u.owner(), u.value(), below);
                    below = top;
                    copies.add(top);
                }
                if (top != null && target.casHead(head, top)) {
                    for (int i = 0; i < copies.size(); i++) {
                        Update orig = keep.get(keep.size() - 1 - i);
                        if (orig.owner().state() == TxnState.PREPARED) { // only prepared writes are re-pointed
                            moved.put(orig, new Moved(stable, target, copies.get(i)));
                        }
                    }
                    n[0] += keep.size();
                    return;
                }
            }
        });
        return n[0];
    }

    private static boolean carries(Update u, long checkpointTs) {
        if (u.isAborted() || u.owner() == UpdateOwner.GLOBAL) {
            return false;
        }
        UpdateOwner o = u.owner();
        TxnState st = o.state();
        if (st == TxnState.PREPARED) {
            return true;
        }
        return st == TxnState.COMMITTED && o.durableTs() > checkpointTs;
    }
}
