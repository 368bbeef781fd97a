package io.stratadb.engine.reconcile;

import io.stratadb.api.TxnState;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import org.jspecify.annotations.Nullable;

/**
 * The rule that picks the version of a key a precise checkpoint stores.
 *
 * <p>Walking the chain newest first, the first update that is not aborted, whose transaction committed at or
 * before the checkpoint's consistent point ({@code commitSeq <= pointSeq}) and whose durable timestamp is at or
 * below the checkpoint timestamp decides: a value is stored with its commit and durable timestamps; a tombstone
 * (including the globally visible tombstone of a rolled-back prepared insert, seed 004) means the key is absent.
 * Prepared, active, rolled-back and newer updates are skipped.
 *
 * <p>Invariants: (1) the result depends only on updates committed at or before the consistent point, so commits
 * that run while the checkpoint writes pages never leak into it; (2) the rule never looks past the deciding
 * update.
 *
 * <p>Thread safety: stateless.
 */
public final class PreciseSelector {
    private PreciseSelector() {}

    /** The entry of {@code slot} in a checkpoint at {@code ckptTs} / {@code pointSeq}, or null when absent. */
    public static @Nullable ImageEntry select(Slot slot, long ckptTs, long pointSeq) {
        for (Update u = slot.head(); u != null; u = u.next()) {
            if (u == Slot.REMOVED || u.isAborted()) {
                continue;
            }
            UpdateOwner o = u.owner();
            if (o.state() != TxnState.COMMITTED || o.commitSeq() > pointSeq || o.durableTs() > ckptTs) {
                continue;
            }
            byte[] v = u.value();
            return v == null ? null : new ImageEntry(slot.key(), o.commitTs(), o.durableTs(), v);
        }
        return null;
    }
}
