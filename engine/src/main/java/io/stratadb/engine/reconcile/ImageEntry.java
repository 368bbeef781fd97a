package io.stratadb.engine.reconcile;

import java.util.Arrays;
import java.util.List;

/**
 * One key of a page image: the versions a checkpoint stores for it, newest first, or (in a delta only) its
 * removal.
 *
 * <p>A checkpoint stores the newest version durable at or below its timestamp and, below it, the older
 * versions readers at or after the oldest timestamp can still need: down to and including the first one
 * committed at or below the oldest timestamp. Tombstones are stored only above an older value.
 *
 * <p>Invariants: (1) versions are newest first; (2) in a full image the list is non-empty and its oldest
 * version is a value; (3) in a delta an empty list means "the key is no longer in the page"; (4) the key array
 * is never mutated.
 *
 * <p>Thread safety: immutable.
 *
 * @param key the encoded key
 * @param versions the stored versions, newest first (empty = removed, deltas only)
 */
@SuppressWarnings("ArrayRecordComponent") // shared with update chains, never mutated; equality is by content
public record ImageEntry(byte[] key, List<StoredVersion> versions) {
    public ImageEntry {
        versions = List.copyOf(versions);
    }

    /** A removal of {@code key} (deltas only). */
    public static ImageEntry removal(byte[] key) {
        return new ImageEntry(key, List.of());
    }

    /** Whether this entry is a removal (deltas only). */
    public boolean removed() {
        return versions.isEmpty();
    }

    /** The newest stored version; fails on a removal. */
    public StoredVersion newest() {
        return versions.get(0);
    }

    /** Whether {@code o} stores the same versions of the same key. */
    public boolean sameVersion(ImageEntry o) {
        if (!Arrays.equals(key, o.key) || versions.size() != o.versions.size()) {
            return false;
        }
        for (int i = 0; i < versions.size(); i++) {
            if (!versions.get(i).same(o.versions.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Bytes this entry takes in the encoded format (an upper bound used for size decisions). */
    int encodedSize() {
        int n = 5 + key.length + 5;
        for (StoredVersion v : versions) {
            n += v.encodedSize();
        }
        return n;
    }
}
