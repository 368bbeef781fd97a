package io.stratadb.engine.reconcile;

import io.stratadb.api.TxnState;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rule that picks the versions of a key a precise checkpoint stores.
 *
 * <p>Walking the chain newest first, an update qualifies if it is not aborted, its transaction committed at or
 * before the checkpoint's consistent point ({@code commitSeq <= pointSeq}) and its durable timestamp is at or
 * below the checkpoint timestamp. Prepared, active, rolled-back and newer updates are skipped. The first
 * qualifying update is the key's state in the checkpoint; older qualifying updates are kept down to and
 * including the first one committed at or below the oldest timestamp, so that readers at any timestamp at or
 * after oldest read the same after a restart. Tombstones at the old end of that list are dropped (a tombstone
 * with nothing older below it means "absent"), including the globally visible tombstone of a rolled-back
 * prepared insert (seed 004); a key left with no version is not stored. A slot's folded version ({@code
 * Slot#base}) is the oldest version of its chain, committed at sequence 0 with its own timestamp.
 *
 * <p>Invariants: (1) the result depends only on updates committed at or before the consistent point, so commits
 * that run while the checkpoint writes pages never leak into it; (2) the newest stored version is exactly the
 * newest version durable at or below the checkpoint timestamp.
 *
 * <p>Thread safety: stateless.
 */
public final class PreciseSelector {
    private PreciseSelector() {}

    /**
     * Whether {@code slot} holds a version a checkpoint at {@code ckptTs} with consistent point {@code pointSeq}
     * leaves out but a later one may store: its newest update that is not aborted is uncommitted, prepared,
     * committed after the point, or durable after {@code ckptTs}. Its leaf then stays dirty.
     */
    public static boolean pending(Slot slot, long ckptTs, long pointSeq) {
        for (Update u = slot.head(); u != null; u = u.next()) {
            if (u == Slot.REMOVED || u.isAborted()) {
                continue;
            }
            UpdateOwner o = u.owner();
            return o.state() != TxnState.COMMITTED || o.commitSeq() > pointSeq || o.durableTs() > ckptTs;
        }
        synchronized (slot) { // defensive: a fold only uses a horizon at or below the pinned point
            return slot.base() != null && slot.baseTs() > ckptTs;
        }
    }

    /**
     * The entry of {@code slot} in a checkpoint at {@code ckptTs} with oldest timestamp {@code oldestTs} and
     * consistent point {@code pointSeq}, or null when the key is absent from it.
     */
    public static @Nullable ImageEntry select(Slot slot, long ckptTs, long oldestTs, long pointSeq) {
        List<StoredVersion> out = null;
        boolean done = false;
        Update h = slot.head();
        for (Update u = h; u != null; u = u.next()) {
            if (u == Slot.REMOVED || u.isAborted()) {
                continue;
            }
            UpdateOwner o = u.owner();
            if (o.state() != TxnState.COMMITTED || o.commitSeq() > pointSeq || o.durableTs() > ckptTs) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(1);
            }
            out.add(new StoredVersion(o.commitTs(), o.durableTs(), u.value()));
            if (o.commitTs() <= oldestTs) {
                done = true;
                break;
            }
        }
        if (!done && h != Slot.REMOVED) {
            synchronized (slot) { // the folded version, below the chain (committed before every snapshot)
                byte[] b = slot.base();
                long ts = slot.baseTs();
                if (b != null && ts <= ckptTs) {
                    if (out == null) {
                        out = new ArrayList<>(1);
                    }
                    out.add(new StoredVersion(ts, ts, b == Slot.TOMBSTONE ? null : b));
                }
            }
        }
        if (out == null) {
            return null;
        }
        while (!out.isEmpty() && out.get(out.size() - 1).value() == null) {
            out.remove(out.size() - 1);
        }
        return out.isEmpty() ? null : new ImageEntry(slot.key(), out);
    }
}
