package io.stratadb.engine.reconcile;

import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The slots a block reads back as: one per stored key, its chain made of the stored versions, newest first, or,
 * with a fold rule, its newest version every reader sees folded into the slot and only the newer ones as a chain.
 *
 * <p>Invariants: every version is committed at sequence 0 with its stored commit and durable timestamps, so
 * every snapshot sees it and timestamped reads honour it (see {@code CheckpointLoader}); a folded version has
 * equal commit and durable timestamps and passes the fold rule (see {@link Slot#fold}).
 *
 * <p>Thread safety: stateless.
 */
public final class StoredSlots {
    private StoredSlots() {}

    /** The slots of {@code b}'s content, in key order, unfolded. */
    public static List<Slot> of(Block b) {
        return of(b, null);
    }

    /**
     * The slots of {@code b}'s content, in key order; with {@code visibleToAll} (the leader's horizon rule), each
     * key's newest stored version that every present and future reader sees is folded into its slot.
     */
    public static List<Slot> of(Block b, @Nullable Predicate<UpdateOwner> visibleToAll) {
        List<Slot> out = new ArrayList<>(b.content().size());
        for (ImageEntry e : b.content()) {
            List<StoredVersion> versions = e.versions();
            int n = versions.size();
            UpdateOwner[] owners = new UpdateOwner[n];
            int folded = n;
            for (int i = 0; i < n; i++) {
                StoredVersion v = versions.get(i);
                owners[i] = UpdateOwner.committed(0, 0, v.commitTs(), v.durableTs());
                if (visibleToAll != null
                        && folded == n
                        && v.commitTs() == v.durableTs()
                        && visibleToAll.test(owners[i])) {
                    folded = i;
                }
            }
            Slot s = folded < n
                    ? Slot.folded(
                            e.key(),
                            versions.get(folded).value(),
                            versions.get(folded).commitTs())
                    : new Slot(e.key());
            Update chain = null;
            for (int i = Math.min(folded, n) - 1; i >= 0; i--) {
                chain = new Update(owners[i], versions.get(i).value(), chain);
            }
            if (chain != null) {
                s.casHead(null, chain);
            }
            out.add(s);
        }
        return out;
    }
}
