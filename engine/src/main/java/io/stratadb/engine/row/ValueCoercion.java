package io.stratadb.engine.row;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * The checks and conversions that turn a user value into the canonical Java value of its column.
 *
 * <p>Invariants: (1) the result has exactly the Java class {@link io.stratadb.api.ColumnType} documents; (2) a
 * number is accepted for any numeric column only when it converts exactly (DOUBLE columns accept any number);
 * (3) failures throw {@link StrataException} with NOT_NULL_VIOLATION (23502), NUMERIC_OUT_OF_RANGE (22003),
 * STRING_TOO_LONG (22001) or INVALID_VALUE (22018), naming the table and column.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class ValueCoercion {
    /** Milliseconds in a day: the exclusive upper bound of TIME values. */
    public static final int MILLIS_PER_DAY = 86_400_000;

    private ValueCoercion() {}

    /** Checks {@code v} against {@code col} of {@code table} and returns its canonical form (null stays null). */
    public static @Nullable Object coerce(String table, ColumnDef col, @Nullable Object v) {
        if (v == null) {
            if (!col.nullable()) {
                throw new StrataException(
                        ErrorCode.NOT_NULL_VIOLATION, "column " + table + "." + col.name() + " is NOT NULL");
            }
            return null;
        }
        return switch (col.type()) {
            case BOOLEAN -> {
                if (v instanceof Boolean) {
                    yield v;
                }
                throw wrongType(table, col, v);
            }
            case SMALLINT ->
                v instanceof Short ? v : (Object) (short) integral(table, col, v, Short.MIN_VALUE, Short.MAX_VALUE);
            // a value of the canonical class is returned as is (no new box on the hot paths)
            case INTEGER ->
                v instanceof Integer ? v : (Object) (int) integral(table, col, v, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT -> v instanceof Long ? v : (Object) integral(table, col, v, Long.MIN_VALUE, Long.MAX_VALUE);
            case DATE -> {
                if (v instanceof LocalDate d) {
                    yield Math.toIntExact(d.toEpochDay());
                }
                yield (int) integral(table, col, v, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            case TIME -> {
                if (v instanceof LocalTime t) {
                    yield (int) (t.toNanoOfDay() / 1_000_000);
                }
                yield (int) integral(table, col, v, 0, MILLIS_PER_DAY - 1);
            }
            case TIMESTAMP -> {
                if (v instanceof LocalDateTime t) {
                    yield t.toInstant(ZoneOffset.UTC).toEpochMilli();
                }
                yield integral(table, col, v, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            case DOUBLE -> {
                if (v instanceof Number n) {
                    double d = n.doubleValue();
                    yield d == 0.0 ? 0.0 : d; // one zero: -0.0 and 0.0 are the same SQL value
                }
                throw wrongType(table, col, v);
            }
            case DECIMAL -> decimal(table, col, v);
            case VARCHAR -> {
                if (v instanceof String s) {
                    if (col.precision() > 0 && s.codePointCount(0, s.length()) > col.precision()) {
                        throw new StrataException(
                                ErrorCode.STRING_TOO_LONG,
                                "value of " + s.codePointCount(0, s.length()) + " characters is too long for " + table
                                        + "." + col.name() + " VARCHAR(" + col.precision() + ")");
                    }
                    yield s;
                }
                throw wrongType(table, col, v);
            }
            case VARBINARY -> {
                if (v instanceof byte[] b) {
                    if (col.precision() > 0 && b.length > col.precision()) {
                        throw new StrataException(
                                ErrorCode.STRING_TOO_LONG,
                                "value of " + b.length + " bytes is too long for " + table + "." + col.name()
                                        + " VARBINARY(" + col.precision() + ")");
                    }
                    yield b.clone();
                }
                throw wrongType(table, col, v);
            }
        };
    }

    private static long integral(String table, ColumnDef col, Object v, long min, long max) {
        long x;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            x = ((Number) v).longValue();
        } else if (v instanceof BigInteger b) {
            if (b.bitLength() > 63) {
                throw outOfRange(table, col, v);
            }
            x = b.longValue();
        } else if (v instanceof BigDecimal b) {
            BigDecimal s = b.stripTrailingZeros();
            if (s.scale() > 0) {
                throw inexact(table, col, v);
            }
            if (s.precision() - s.scale() > 19 || s.toBigInteger().bitLength() > 63) {
                throw outOfRange(table, col, v);
            }
            x = s.longValueExact();
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
                throw inexact(table, col, v);
            }
            if (d < 0x1p63 * -1 || d >= 0x1p63) {
                throw outOfRange(table, col, v);
            }
            x = (long) d;
        } else {
            throw wrongType(table, col, v);
        }
        if (x < min || x > max) {
            throw outOfRange(table, col, v);
        }
        return x;
    }

    private static BigDecimal decimal(String table, ColumnDef col, Object v) {
        BigDecimal b;
        if (v instanceof BigDecimal d) {
            b = d;
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            b = BigDecimal.valueOf(((Number) v).longValue());
        } else if (v instanceof BigInteger i) {
            b = new BigDecimal(i);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw inexact(table, col, v);
            }
            b = BigDecimal.valueOf(d);
        } else {
            throw wrongType(table, col, v);
        }
        if (col.precision() == 0) {
            return b; // unconstrained DECIMAL: the value is kept as given
        }
        BigDecimal scaled;
        try {
            scaled = b.setScale(col.scale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new StrataException(
                    ErrorCode.NUMERIC_OUT_OF_RANGE,
                    "value " + b.toPlainString() + " has more than " + col.scale() + " fraction digits for " + table
                            + "." + col.name() + " DECIMAL(" + col.precision() + "," + col.scale() + ")",
                    e);
        }
        if (scaled.precision() > col.precision() && scaled.signum() != 0) {
            throw outOfRange(table, col, v);
        }
        return scaled;
    }

    private static StrataException outOfRange(String table, ColumnDef col, Object v) {
        return new StrataException(
                ErrorCode.NUMERIC_OUT_OF_RANGE,
                "value " + v + " is out of range for " + table + "." + col.name() + " " + typeName(col));
    }

    private static StrataException inexact(String table, ColumnDef col, Object v) {
        return new StrataException(
                ErrorCode.INVALID_VALUE,
                "value " + v + " cannot be stored exactly in " + table + "." + col.name() + " " + typeName(col));
    }

    private static StrataException wrongType(String table, ColumnDef col, Object v) {
        return new StrataException(
                ErrorCode.INVALID_VALUE,
                "a " + v.getClass().getSimpleName() + " cannot be stored in " + table + "." + col.name() + " "
                        + typeName(col));
    }

    private static String typeName(ColumnDef col) {
        return switch (col.type()) {
            case DECIMAL -> "DECIMAL(" + col.precision() + "," + col.scale() + ")";
            case VARCHAR, VARBINARY -> col.type() + "(" + col.precision() + ")";
            default -> col.type().name();
        };
    }
}
