package io.stratadb.engine.layered;

import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.ReadView;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import org.jspecify.annotations.Nullable;

/**
 * The merge rule of a layered read: which of a key's two visible versions, one in ingest and one in stable, a
 * reader sees.
 *
 * <p>Rule: if only one tree has a visible version, it decides (a tombstone means absent). If both do, the one
 * with the later commit timestamp wins and ingest wins a tie. Ingest normally holds only versions newer than
 * the checkpoint, so ingest wins; the timestamp comparison covers the two exceptions: a globally visible
 * tombstone in ingest (timestamp 0: a rolled-back prepared insert or rollback-to-stable found nothing older in
 * ingest, which does not mean the stable row is gone), and a prepared transaction whose commit timestamp is
 * below a later commit of the same key that a checkpoint already holds.
 *
 * <p>Invariants: stateless; never returns an aborted or invisible update.
 *
 * <p>Thread safety: stateless.
 */
public final class LayeredRead {
    private LayeredRead() {}

    /** The version of {@code key} the reader sees, or null (absent or a tombstone). */
    public static byte @Nullable [] value(ReadView view, BTree ingest, BTree stable, byte[] key) {
        Update ui = version(view, ingest.find(key));
        Update us = version(view, stable.find(key));
        Update u = pick(ui, us);
        return u == null ? null : u.value();
    }

    /**
     * The version of {@code s} the reader sees with its timestamps: the visible update of the chain, else the
     * folded version (a tree folds while it serves a leader; after a step-down it becomes an ingest tree).
     */
    private static @Nullable Update version(ReadView view, @Nullable Slot s) {
        if (s == null) {
            return null;
        }
        Update u = view.visible(s.head());
        return u != null ? u : s.baseVersion();
    }

    /** The winner of the merge rule between an ingest and a stable version (either may be null). */
    static @Nullable Update pick(@Nullable Update ingest, @Nullable Update stable) {
        if (ingest == null) {
            return stable;
        }
        if (stable == null) {
            return ingest;
        }
        return stable.owner().commitTs() > ingest.owner().commitTs() ? stable : ingest;
    }
}
