package io.stratadb.engine.reconcile;

import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The slots a block reads back as: one per stored key, its chain made of the stored versions, newest first.
 *
 * <p>Invariants: every version is committed at sequence 0 with its stored commit and durable timestamps, so
 * every snapshot sees it and timestamped reads honour it (see {@code CheckpointLoader}).
 *
 * <p>Thread safety: stateless.
 */
public final class StoredSlots {
    private StoredSlots() {}

    /** The slots of {@code b}'s content, in key order. */
    public static List<Slot> of(Block b) {
        List<Slot> out = new ArrayList<>(b.content().size());
        for (ImageEntry e : b.content()) {
            Slot s = new Slot(e.key());
            Update chain = null;
            List<StoredVersion> versions = e.versions();
            for (int i = versions.size() - 1; i >= 0; i--) {
                StoredVersion v = versions.get(i);
                chain = new Update(UpdateOwner.committed(0, 0, v.commitTs(), v.durableTs()), v.value(), chain);
            }
            s.casHead(null, Objects.requireNonNull(chain));
            out.add(s);
        }
        return out;
    }
}
