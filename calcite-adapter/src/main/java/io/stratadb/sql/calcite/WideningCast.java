package io.stratadb.sql.calcite;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.jspecify.annotations.Nullable;

/**
 * Comparisons of an integer key column that Calcite widened with a cast: {@code smallint_id = 3} reaches the scan
 * as {@code CAST(ID AS INTEGER) = 3}, {@code int_id = 10000000000} as {@code CAST(ID AS BIGINT) = 10000000000}.
 * A widening cast between SMALLINT, INTEGER and BIGINT keeps every value and the order, so such a comparison
 * selects exactly the keys a seek on the column selects, once the compared value is brought into the column's
 * range: a value above the column's largest value matches no key with {@code =}, {@code >} or {@code >=} and
 * every key with {@code <} or {@code <=} (and symmetrically below the smallest).
 *
 * <p>Invariants: (1) {@link #keyRef} accepts only a cast from a SMALLINT, INTEGER or BIGINT column to an integer
 * type at least as wide; (2) {@link #value} returns the column's own Java type ({@code Short}, {@code Integer},
 * {@code Long}) for a value in the column's range, {@link #BELOW} or {@link #ABOVE} for an integer outside it,
 * and null for a literal that is not an integer (left to Calcite); a parameter is first narrowed to its own
 * type as Calcite's generated code narrows it ({@code Number.shortValue()}, {@code intValue()}, {@code
 * longValue()}), then compared as Calcite compares the widened values.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class WideningCast {
    /** A compared value below the key column's smallest value. */
    static final Object BELOW = new Object();

    /** A compared value above the key column's largest value. */
    static final Object ABOVE = new Object();

    private WideningCast() {}

    /**
     * The integer type a key column is widened to by {@code n}, a {@code CAST} of a column reference, or null if
     * {@code n} is not such a widening cast.
     */
    static @Nullable SqlTypeName castType(TableSchema schema, RexNode n) {
        if (!(n instanceof RexCall call)
                || call.getKind() != SqlKind.CAST
                || !(call.getOperands().get(0) instanceof RexInputRef ref)) {
            return null;
        }
        ColumnType column = schema.columns().get(ref.getIndex()).type();
        SqlTypeName target = call.getType().getSqlTypeName();
        int from = rank(column);
        int to = switch (target) {
            case SMALLINT -> 1;
            case INTEGER -> 2;
            case BIGINT -> 3;
            default -> 0;
        };
        return from > 0 && to >= from ? target : null;
    }

    /** The column reference of {@code n}: a column, or a widening cast of an integer column; else null. */
    static @Nullable RexInputRef keyRef(TableSchema schema, RexNode n) {
        if (n instanceof RexInputRef ref) {
            return ref;
        }
        if (castType(schema, n) != null) {
            return (RexInputRef) ((RexCall) n).getOperands().get(0);
        }
        return null;
    }

    private static int rank(ColumnType t) {
        return switch (t) {
            case SMALLINT -> 1;
            case INTEGER -> 2;
            case BIGINT -> 3;
            default -> 0;
        };
    }

    /**
     * The key value for comparing column {@code def}, widened to {@code cast}, with {@code v}: the column's Java
     * type, {@link #BELOW}, {@link #ABOVE}, or null when a literal is not an integer.
     *
     * @param parameter the SQL type of the parameter {@code v} is the value of, or null for a literal
     */
    static @Nullable Object value(
            TableSchema schema, ColumnDef def, SqlTypeName cast, Object v, @Nullable SqlTypeName parameter) {
        Long n;
        if (parameter != null) {
            if (!(v instanceof Number num)) {
                throw new StrataException(
                        ErrorCode.INVALID_VALUE,
                        "parameter value '" + v + "' (" + v.getClass().getSimpleName() + ") is not a valid " + cast
                                + " for column " + schema.name() + "." + def.name());
            }
            n = switch (parameter) {
                case SMALLINT -> (long) num.shortValue();
                case INTEGER -> (long) num.intValue();
                case BIGINT -> num.longValue();
                default -> null; // Calcite converts it some other way: leave the comparison to Calcite
            };
            if (n == null) {
                return null;
            }
        } else {
            n = exactLong(v);
            if (n == null) {
                return overflow(v); // an integer beyond BIGINT is below or above every key, else not an integer
            }
        }
        long x = n;
        return switch (def.type()) {
            case SMALLINT -> x < Short.MIN_VALUE ? BELOW : x > Short.MAX_VALUE ? ABOVE : (Object) (short) x;
            case INTEGER -> x < Integer.MIN_VALUE ? BELOW : x > Integer.MAX_VALUE ? ABOVE : (Object) (int) x;
            default -> x;
        };
    }

    private static @Nullable Long exactLong(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    private static @Nullable Object overflow(Object v) {
        if (v instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0) {
            return d.signum() < 0 ? BELOW : ABOVE;
        }
        if (v instanceof BigInteger b) {
            return b.signum() < 0 ? BELOW : ABOVE;
        }
        return null;
    }
}
