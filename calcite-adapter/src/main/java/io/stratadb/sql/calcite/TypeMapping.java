package io.stratadb.sql.calcite;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Calendar;
import java.util.Locale;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.avatica.util.DateTimeUtils;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;
import org.jspecify.annotations.Nullable;

/**
 * The mapping between engine column types and values and Calcite's SQL types and internal values.
 *
 * <p>Invariants: (1) engine rows and Calcite rows differ only for VARBINARY ({@code byte[]} in the engine,
 * {@link ByteString} in Calcite) and numeric widths; (2) VARCHAR and VARBINARY columns are declared to Calcite
 * without a length and DECIMAL with the widest precision, so Calcite never truncates or rounds a value
 * silently: the engine checks lengths and precision and fails with a class 22 SQLSTATE instead.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class TypeMapping {
    /** The widest DECIMAL precision Calcite's default type system allows. */
    static final int MAX_DECIMAL_PRECISION = 19;
    /** The fractional-second precision of TIME and TIMESTAMP columns (milliseconds). */
    static final int MILLIS = 3;

    private TypeMapping() {}

    /** The Calcite type of a column, as seen by the planner. */
    public static RelDataType relType(RelDataTypeFactory f, ColumnDef c) {
        RelDataType t = switch (c.type()) {
            case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
            case SMALLINT -> f.createSqlType(SqlTypeName.SMALLINT);
            case INTEGER -> f.createSqlType(SqlTypeName.INTEGER);
            case BIGINT -> f.createSqlType(SqlTypeName.BIGINT);
            case DECIMAL -> f.createSqlType(SqlTypeName.DECIMAL, MAX_DECIMAL_PRECISION, decimalScale(c));
            case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
            case VARCHAR -> f.createSqlType(SqlTypeName.VARCHAR);
            case VARBINARY -> f.createSqlType(SqlTypeName.VARBINARY);
            case DATE -> f.createSqlType(SqlTypeName.DATE);
            // milliseconds, as the engine stores them: without a precision Calcite means 0 and its cast of a
            // literal such as TIMESTAMP '... 04:05:06.789' to the column's type would drop them
            case TIME -> f.createSqlType(SqlTypeName.TIME, MILLIS);
            case TIMESTAMP -> f.createSqlType(SqlTypeName.TIMESTAMP, MILLIS);
        };
        return f.createTypeWithNullability(t, c.nullable());
    }

    /** The scale of a DECIMAL column (0 when not given). */
    static int decimalScale(ColumnDef c) {
        return Math.min(c.scale(), MAX_DECIMAL_PRECISION);
    }

    /** The plain SQL type name of a column, as metadata shows it: {@code INTEGER}, {@code VARCHAR}. */
    public static String typeName(ColumnDef c) {
        return c.type().name();
    }

    /** The declared type of a column with its length or precision, as in {@code DECIMAL(10,2)}. */
    public static String declaredType(ColumnDef c) {
        return switch (c.type()) {
            case VARCHAR, VARBINARY ->
                c.precision() > 0
                        ? c.type() + "(" + c.precision() + ")"
                        : c.type().name();
            case DECIMAL -> c.precision() > 0 ? "DECIMAL(" + c.precision() + "," + c.scale() + ")" : "DECIMAL";
            default -> c.type().name();
        };
    }

    /** The JDBC COLUMN_SIZE of a column: the length, the digits or the display width. */
    public static int columnSize(ColumnDef c) {
        return switch (c.type()) {
            case BOOLEAN -> 1;
            case SMALLINT -> 5;
            case INTEGER -> 10;
            case BIGINT -> 19;
            case DECIMAL -> c.precision() > 0 ? c.precision() : MAX_DECIMAL_PRECISION;
            case DOUBLE -> 15;
            case VARCHAR, VARBINARY -> c.precision() > 0 ? c.precision() : Integer.MAX_VALUE;
            case DATE -> 10;
            case TIME -> 8;
            case TIMESTAMP -> 23;
        };
    }

    /** The JDBC DECIMAL_DIGITS of a column, or null where it does not apply. */
    public static @Nullable Integer decimalDigits(ColumnDef c) {
        return switch (c.type()) {
            case DECIMAL -> c.scale();
            case SMALLINT, INTEGER, BIGINT -> 0;
            case TIMESTAMP, TIME -> 3;
            default -> null;
        };
    }

    /** Converts an engine value to Calcite's internal representation. */
    public static @Nullable Object toCalcite(@Nullable Object v) {
        return v instanceof byte[] b ? new ByteString(b) : v;
    }

    /** Converts an engine row to Calcite's internal representation, in place. */
    public static Object[] rowToCalcite(Object[] row) {
        for (int i = 0; i < row.length; i++) {
            if (row[i] instanceof byte[] b) {
                row[i] = new ByteString(b);
            }
        }
        return row;
    }

    /**
     * Converts a value from Calcite (a literal, a parameter or a computed value) to the engine's
     * representation of the column's type.
     *
     * @throws StrataException INVALID_VALUE if it cannot be converted, NUMERIC_OUT_OF_RANGE if it does not fit
     */
    public static @Nullable Object toEngine(String table, ColumnDef c, @Nullable Object v) {
        if (v == null) {
            return null;
        }
        try {
            return switch (c.type()) {
                case BOOLEAN -> v instanceof Boolean b ? b : Boolean.valueOf(parseBoolean(v.toString()));
                case SMALLINT -> (short) integral(v, Short.MIN_VALUE, Short.MAX_VALUE);
                case INTEGER -> (int) integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case BIGINT -> integral(v, Long.MIN_VALUE, Long.MAX_VALUE);
                case DECIMAL -> decimal(c, v);
                case DOUBLE -> v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
                case VARCHAR -> v instanceof ByteString ? fail(table, c, v) : v.toString();
                case VARBINARY -> binary(v);
                case DATE -> date(v);
                case TIME -> time(v);
                case TIMESTAMP -> timestamp(v);
            };
        } catch (NumberFormatException | ClassCastException e) {
            throw new StrataException(
                    ErrorCode.INVALID_VALUE,
                    "value '" + v + "' is not a valid " + c.type() + " for column " + table + "." + c.name(),
                    e);
        } catch (ArithmeticException e) {
            throw new StrataException(
                    ErrorCode.NUMERIC_OUT_OF_RANGE,
                    "value " + v + " is out of range for column " + table + "." + c.name() + " " + declaredType(c),
                    e);
        }
    }

    private static Object fail(String table, ColumnDef c, Object v) {
        throw new StrataException(
                ErrorCode.INVALID_VALUE,
                "value " + v + " is not a valid " + c.type() + " for column " + table + "." + c.name());
    }

    private static boolean parseBoolean(String s) {
        return switch (s.trim().toUpperCase(Locale.ROOT)) {
            case "TRUE", "1" -> true;
            case "FALSE", "0" -> false;
            default -> throw new NumberFormatException("not a boolean: " + s);
        };
    }

    private static long integral(Object v, long min, long max) {
        long n;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else if (v instanceof BigDecimal d) {
            n = d.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } else if (v instanceof Number num) {
            double d = num.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d) || Double.isNaN(d)) {
                throw new NumberFormatException("not an integer: " + v);
            }
            n = new BigDecimal(d).longValueExact();
        } else {
            n = new BigDecimal(v.toString().trim())
                    .setScale(0, RoundingMode.UNNECESSARY)
                    .longValueExact();
        }
        if (n < min || n > max) {
            throw new ArithmeticException("out of range");
        }
        return n;
    }

    private static BigDecimal decimal(ColumnDef c, Object v) {
        BigDecimal d;
        if (v instanceof BigDecimal bd) {
            d = bd;
        } else if (v instanceof Double || v instanceof Float) {
            d = BigDecimal.valueOf(((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            d = BigDecimal.valueOf(n.longValue());
        } else {
            d = new BigDecimal(v.toString().trim());
        }
        if (c.precision() > 0 || c.scale() > 0) {
            d = d.setScale(c.scale(), RoundingMode.HALF_UP);
        }
        return d;
    }

    private static byte[] binary(Object v) {
        if (v instanceof ByteString b) {
            return b.getBytes();
        }
        if (v instanceof byte[] b) {
            return b;
        }
        throw new ClassCastException("not binary: " + v.getClass().getSimpleName());
    }

    @SuppressWarnings("JavaUtilDate") // JDBC hands dates and times over as java.sql.Date/Time/Timestamp
    private static int date(Object v) {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof java.sql.Date d) {
            return (int) Math.floorDiv(d.getTime() + offset(d.getTime()), DateTimeUtils.MILLIS_PER_DAY);
        }
        if (v instanceof Calendar cal) {
            return (int) Math.floorDiv(
                    cal.getTimeInMillis() + cal.getTimeZone().getOffset(cal.getTimeInMillis()),
                    DateTimeUtils.MILLIS_PER_DAY);
        }
        if (v instanceof Number n) {
            return Math.toIntExact(n.longValue());
        }
        return DateTimeUtils.dateStringToUnixDate(v.toString().trim());
    }

    @SuppressWarnings("JavaUtilDate") // JDBC hands dates and times over as java.sql.Date/Time/Timestamp
    private static int time(Object v) {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof java.sql.Time t) {
            return (int) Math.floorMod(t.getTime() + offset(t.getTime()), DateTimeUtils.MILLIS_PER_DAY);
        }
        if (v instanceof Number n) {
            return Math.toIntExact(n.longValue());
        }
        return DateTimeUtils.timeStringToUnixDate(v.toString().trim());
    }

    @SuppressWarnings("JavaUtilDate") // JDBC hands dates and times over as java.sql.Date/Time/Timestamp
    private static long timestamp(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.getTime() + offset(t.getTime());
        }
        if (v instanceof java.util.Date d) {
            return d.getTime() + offset(d.getTime());
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        return DateTimeUtils.timestampStringToUnixDate(v.toString().trim());
    }

    /** JDBC date/time objects are in the JVM's zone; Calcite's internal values are zone-less local times. */
    private static long offset(long millis) {
        return java.util.TimeZone.getDefault().getOffset(millis);
    }

    /** Whether the engine type is one of the exact integer types. */
    static boolean isIntegral(ColumnType t) {
        return t == ColumnType.SMALLINT || t == ColumnType.INTEGER || t == ColumnType.BIGINT;
    }
}
