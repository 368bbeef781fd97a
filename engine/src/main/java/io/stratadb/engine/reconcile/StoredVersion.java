package io.stratadb.engine.reconcile;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One version of a key as a page stores it: a value or a tombstone with its commit and durable timestamps.
 *
 * <p>Invariants: (1) {@code value == null} means tombstone; (2) the array is never mutated (it is shared with
 * the update chain it was taken from).
 *
 * <p>Thread safety: immutable.
 *
 * @param commitTs commit timestamp (0 = written without a timestamp)
 * @param durableTs durable timestamp
 * @param value the row bytes, or null for a tombstone
 */
@SuppressWarnings("ArrayRecordComponent") // shared with update chains, never mutated; equality is by content
public record StoredVersion(long commitTs, long durableTs, byte @Nullable [] value) {
    /** Whether {@code o} is the same version. */
    public boolean same(StoredVersion o) {
        return commitTs == o.commitTs
                && durableTs == o.durableTs
                && (value == o.value || Arrays.equals(value, o.value));
    }

    int encodedSize() {
        return 1 + 16 + (value == null ? 0 : 5 + value.length);
    }
}
