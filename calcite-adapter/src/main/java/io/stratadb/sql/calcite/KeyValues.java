package io.stratadb.sql.calcite;

import java.util.Arrays;

/**
 * Comparison of single key-column values of one engine type, used to intersect range bounds.
 *
 * <p>Invariants: both values have the same engine representation (see {@link TypeMapping#toEngine}).
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class KeyValues {
    private KeyValues() {}

    @SuppressWarnings({"unchecked", "rawtypes"}) // values of one column share one Comparable type
    static int compare(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        return ((Comparable) a).compareTo(b);
    }
}
