package io.stratadb.api;

import org.jspecify.annotations.Nullable;

/**
 * A range of primary keys for a scan.
 *
 * <p>Bounds are primary-key values in key-column order; a bound may be a prefix of the key (fewer values than
 * key columns), in which case it covers every key starting with those values. A null bound is unbounded.
 *
 * <p>Thread safety: immutable if the callers do not mutate the arrays they passed.
 *
 * @param lower lower bound or null
 * @param lowerInclusive whether keys equal to {@code lower} are included
 * @param upper upper bound or null
 * @param upperInclusive whether keys equal to {@code upper} are included
 * @since 0.1
 */
@SuppressWarnings("ArrayRecordComponent") // arrays are shared, not copied, on hot paths; callers must not mutate them
public record KeyRange(
        Object @Nullable [] lower, boolean lowerInclusive, Object @Nullable [] upper, boolean upperInclusive) {
    private static final KeyRange ALL = new KeyRange(null, true, null, true);

    /** Every key. */
    public static KeyRange all() {
        return ALL;
    }

    /** Keys from {@code lower} to {@code upper}, both inclusive. */
    public static KeyRange closed(Object[] lower, Object[] upper) {
        return new KeyRange(lower, true, upper, true);
    }

    /** Keys equal to (or, for a prefix, starting with) {@code key}. */
    public static KeyRange exactly(Object[] key) {
        return new KeyRange(key, true, key, true);
    }
}
