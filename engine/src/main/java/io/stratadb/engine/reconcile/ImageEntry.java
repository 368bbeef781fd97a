package io.stratadb.engine.reconcile;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One key of a page image: the version a checkpoint stores for it, or (in a delta only) its removal.
 *
 * <p>Invariants: (1) in a full image {@code value} is never null (absent keys are simply left out); (2) in a
 * delta a null value means "the key is no longer in the page"; (3) {@code durableTs >= commitTs} for versions
 * written by prepared transactions, equal otherwise; (4) the arrays are never mutated (they are shared with the
 * update chains they were taken from).
 *
 * <p>Thread safety: immutable.
 *
 * @param key the encoded key
 * @param commitTs the commit timestamp of the stored version (0 = no timestamp)
 * @param durableTs its durable timestamp
 * @param value the row bytes, or null for a removal in a delta
 */
@SuppressWarnings("ArrayRecordComponent") // shared with update chains, never mutated; equality is by content
public record ImageEntry(byte[] key, long commitTs, long durableTs, byte @Nullable [] value) {
    /** Whether this entry is a removal (deltas only). */
    public boolean removed() {
        return value == null;
    }

    /** Whether {@code o} stores the same version of the same key. */
    public boolean sameVersion(ImageEntry o) {
        return commitTs == o.commitTs
                && durableTs == o.durableTs
                && Arrays.equals(key, o.key)
                && (value == o.value || Arrays.equals(value, o.value));
    }

    /** Bytes this entry takes in the encoded format (an upper bound used for size decisions). */
    int encodedSize() {
        return 5 + key.length + 1 + 16 + 5 + (value == null ? 0 : value.length);
    }
}
