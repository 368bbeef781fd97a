package io.stratadb.sql.calcite;

import io.stratadb.api.KeyRange;
import java.util.List;

/**
 * How a scan reaches its rows: point look-ups, key ranges (B-tree seeks) or the whole table.
 *
 * <p>Invariants: {@code POINTS} has full primary keys and no ranges; {@code RANGES} has ranges and no points;
 * {@code EMPTY} and {@code FULL} have neither. Ranges are read in list order.
 *
 * <p>Thread safety: immutable (the key arrays are never modified after planning).
 *
 * @param kind the access kind
 * @param points full keys to look up, for POINTS
 * @param ranges key ranges to seek, for RANGES
 */
public record AccessPath(Kind kind, List<Object[]> points, List<KeyRange> ranges) {
    /** The kinds of access. */
    public enum Kind {
        /** No row can match (for example a comparison with NULL). */
        EMPTY,
        /** One {@code Transaction.get} per key. */
        POINTS,
        /** One cursor per key range. */
        RANGES,
        /** One cursor over every key. */
        FULL
    }

    public AccessPath {
        points = List.copyOf(points);
        ranges = List.copyOf(ranges);
    }

    static final AccessPath EMPTY = new AccessPath(Kind.EMPTY, List.of(), List.of());
    static final AccessPath FULL = new AccessPath(Kind.FULL, List.of(), List.of());

    static AccessPath points(List<Object[]> keys) {
        return new AccessPath(Kind.POINTS, keys, List.of());
    }

    static AccessPath ranges(List<KeyRange> ranges) {
        return new AccessPath(Kind.RANGES, List.of(), ranges);
    }

    /** A short description for logs and tests, such as {@code POINTS(1)} or {@code RANGES(2)}. */
    public String describe() {
        return switch (kind) {
            case POINTS -> "POINTS(" + points.size() + ")";
            case RANGES -> "RANGES(" + ranges.size() + ")";
            default -> kind.name();
        };
    }
}
