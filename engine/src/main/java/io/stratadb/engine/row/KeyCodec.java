package io.stratadb.engine.row;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The byte-comparable encoding of one table's primary keys: unsigned lexicographic order of the encodings is
 * the SQL order of the key values, column by column.
 *
 * <p>Each component is a marker byte ({@code 0x00} NULL, sorting first; {@code 0x01} a value) and then: fixed
 * big-endian with the sign bit flipped for integers, dates, times and timestamps; the IEEE bits with the sign
 * trick for doubles; a sign class, an exponent and a digit string for decimals; escaped bytes ({@code 00} →
 * {@code 00 FF}) ended by {@code 00 01} for strings (UTF-8, code-point order) and binaries. Components are
 * self-delimiting, so the encoding of a key prefix is a byte prefix of the encodings of the keys it covers.
 *
 * <p>Invariants: (1) {@code compare(enc(a), enc(b)) == sqlCompare(a, b)}; (2) encodings are at most {@link
 * #MAX_KEY_BYTES}, longer keys fail with VALUE_TOO_LARGE.
 *
 * <p>Thread safety: immutable, thread-safe.
 */
public final class KeyCodec {
    /** The largest encoded key the engine stores. */
    public static final int MAX_KEY_BYTES = 4096;

    private final String table;
    private final ColumnDef[] keyColumns;
    private final int[] keyIndexes;

    public KeyCodec(TableSchema schema) {
        this.table = schema.name();
        List<Integer> pk = schema.primaryKey();
        this.keyColumns = new ColumnDef[pk.size()];
        this.keyIndexes = new int[pk.size()];
        for (int i = 0; i < pk.size(); i++) {
            keyIndexes[i] = pk.get(i);
            keyColumns[i] = schema.columns().get(pk.get(i));
        }
    }

    /** Number of key columns. */
    public int width() {
        return keyColumns.length;
    }

    /** The key of a row whose values were already coerced by {@link RowCodec#coerceRow}. */
    public byte[] rowKey(Object[] coercedRow) {
        int fixed = 0;
        for (int i = 0; i < keyIndexes.length && fixed >= 0; i++) {
            int n = fixedSize(keyColumns[i].type(), coercedRow[keyIndexes[i]]);
            fixed = n < 0 ? -1 : fixed + n;
        }
        ByteSink out = fixed >= 0 ? ByteSink.exact(fixed) : new ByteSink(32);
        for (int i = 0; i < keyIndexes.length; i++) {
            writeComponent(out, keyColumns[i].type(), coercedRow[keyIndexes[i]]);
        }
        return checkSize(out);
    }

    /** Bytes of the component of {@code type} for {@code v}, or -1 when its size depends on the value. */
    private static int fixedSize(ColumnType type, @Nullable Object v) {
        if (v == null) {
            return 1;
        }
        return switch (type) {
            case BOOLEAN -> 2;
            case SMALLINT -> 3;
            case INTEGER, DATE, TIME -> 5;
            case BIGINT, TIMESTAMP, DOUBLE -> 9;
            case DECIMAL, VARCHAR, VARBINARY -> -1;
        };
    }

    /** The encoding of a full primary key given as key-column values. */
    public byte[] encodeKey(Object[] key) {
        if (key.length != keyColumns.length) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "table " + table + " has a " + keyColumns.length + "-column primary key, got " + key.length
                            + " values");
        }
        return encodePrefix(key);
    }

    /** The encoding of a key prefix (0 to {@link #width()} leading key values). */
    public byte[] encodePrefix(Object[] prefix) {
        if (prefix.length > keyColumns.length) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "table " + table + " has a " + keyColumns.length + "-column primary key, got " + prefix.length
                            + " values");
        }
        int fixed = 0;
        for (int i = 0; i < prefix.length && fixed >= 0; i++) {
            int n = fixedSize(keyColumns[i].type(), prefix[i]); // coercion keeps null and the type's size
            fixed = n < 0 ? -1 : fixed + n;
        }
        ByteSink out = fixed >= 0 ? ByteSink.exact(fixed) : new ByteSink(32);
        for (int i = 0; i < prefix.length; i++) {
            ColumnDef c = keyColumns[i];
            Object v = prefix[i] == null ? null : ValueCoercion.coerce(table, c, prefix[i]);
            writeComponent(out, c.type(), v);
        }
        return checkSize(out);
    }

    private byte[] checkSize(ByteSink out) {
        if (out.size() > MAX_KEY_BYTES) {
            throw new StrataException(
                    ErrorCode.VALUE_TOO_LARGE,
                    "key of table " + table + " encodes to " + out.size() + " bytes, more than the limit of "
                            + MAX_KEY_BYTES);
        }
        return out.finish();
    }

    /**
     * The smallest byte string greater than every string starting with {@code prefix}, or null if there is none
     * (the prefix is empty or all {@code 0xFF}).
     */
    public static byte @Nullable [] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = java.util.Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    /** Appends one component of {@code type}. */
    static void writeComponent(ByteSink out, ColumnType type, @Nullable Object v) {
        if (v == null) {
            out.put(0x00);
            return;
        }
        out.put(0x01);
        switch (type) {
            case BOOLEAN -> out.put((Boolean) v ? 1 : 0);
            case SMALLINT -> out.putShort(((Short) v) ^ 0x8000);
            case INTEGER, DATE, TIME -> out.putInt(((Integer) v) ^ Integer.MIN_VALUE);
            case BIGINT, TIMESTAMP -> out.putLong(((Long) v) ^ Long.MIN_VALUE);
            case DOUBLE -> {
                double d = (Double) v;
                long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
                out.putLong(bits < 0 ? ~bits : bits ^ Long.MIN_VALUE);
            }
            case DECIMAL -> writeDecimal(out, (BigDecimal) v);
            case VARCHAR -> writeEscaped(out, ((String) v).getBytes(StandardCharsets.UTF_8));
            case VARBINARY -> writeEscaped(out, (byte[]) v);
        }
    }

    private static void writeEscaped(ByteSink out, byte[] b) {
        for (byte x : b) {
            out.put(x);
            if (x == 0) {
                out.put(0xFF);
            }
        }
        out.put(0x00).put(0x01);
    }

    /**
     * Decimal: class byte (1 negative, 2 zero, 3 positive); for non-zero values the exponent {@code e} (value =
     * 0.d1d2... × 10^e) as a sign-flipped int, then digits as bytes 1..10, then a 0 terminator; negative values
     * invert every byte after the class byte so larger magnitudes sort first.
     */
    private static void writeDecimal(ByteSink out, BigDecimal v) {
        int sign = v.signum();
        if (sign == 0) {
            out.put(2);
            return;
        }
        BigDecimal s = v.abs().stripTrailingZeros();
        String digits = s.unscaledValue().toString();
        int exponent = digits.length() - s.scale();
        int mask = sign < 0 ? 0xFF : 0x00;
        out.put(sign < 0 ? 1 : 3);
        int e = exponent ^ Integer.MIN_VALUE;
        out.put(((e >>> 24) & 0xFF) ^ mask);
        out.put(((e >>> 16) & 0xFF) ^ mask);
        out.put(((e >>> 8) & 0xFF) ^ mask);
        out.put((e & 0xFF) ^ mask);
        for (int i = 0; i < digits.length(); i++) {
            out.put((digits.charAt(i) - '0' + 1) ^ mask);
        }
        out.put(mask);
    }
}
