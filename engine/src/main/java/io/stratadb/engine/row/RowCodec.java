package io.stratadb.engine.row;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The value encoding of one table's rows: a format byte, a null bitmap, then each non-null column in order.
 *
 * <p>Layout: {@code 0x01} (format version), {@code ceil(n/8)} bitmap bytes (bit set = NULL), then per non-null
 * column: BOOLEAN 1 byte; SMALLINT 2; INTEGER, DATE, TIME 4; BIGINT, TIMESTAMP, DOUBLE 8 (big-endian, raw
 * bits); DECIMAL varint scale (zig-zag) + varint length + unscaled two's-complement bytes; VARCHAR varint length
 * + UTF-8; VARBINARY varint length + bytes.
 *
 * <p>Invariants: (1) {@code decode(encode(r))} equals {@code r} for coerced rows; (2) encodings are at most
 * {@link #MAX_ROW_BYTES}, larger rows fail with VALUE_TOO_LARGE; (3) decoding malformed bytes throws
 * CORRUPTION, never an unchecked index error.
 *
 * <p>Thread safety: thread-safe; immutable but for {@code sizeHint} and {@code lastProjection}, plain fields whose
 * races are benign (any value read is a valid starting capacity, respectively an immutable projection that is
 * used only if it lists the requested columns).
 */
public final class RowCodec {
    /** The largest encoded row the engine stores. */
    public static final int MAX_ROW_BYTES = 4 << 20;

    private static final int FORMAT = 1;
    private static final Object[] NO_COLUMNS = new Object[0];

    private final TableSchema schema;
    private final ColumnDef[] columns;
    private final ColumnType[] types;
    // the size of the last encoded row: rows of one table are often alike, so the next encoding usually fills a
    // buffer of this size exactly and is returned without a copy (one allocation per row instead of three)
    private int sizeHint = 64;
    // the last projection planned: a prepared statement opens a cursor with the same columns at every execution,
    // so it is planned once, not per cursor (a racy but safe cache: any value read is a valid, immutable plan)
    private @Nullable RowProjection lastProjection;

    public RowCodec(TableSchema schema) {
        this.schema = schema;
        this.columns = schema.columns().toArray(new ColumnDef[0]);
        this.types = new ColumnType[columns.length];
        for (int i = 0; i < columns.length; i++) {
            types[i] = columns[i].type();
        }
    }

    /**
     * {@code row} with every value checked and canonical; fails with the column's error code. When every value
     * already is canonical (the usual case), that is {@code row} itself, not a copy: the caller must encode it
     * before it returns to its own caller (who may change the array afterwards), and must not change it.
     */
    public Object[] coerceRow(Object[] row) {
        if (row.length != columns.length) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "table " + schema.name() + " has " + columns.length + " columns, got a row of " + row.length);
        }
        Object[] out = row;
        for (int i = 0; i < row.length; i++) {
            Object v = ValueCoercion.coerce(schema.name(), columns[i], row[i]);
            if (v != row[i]) {
                if (out == row) {
                    out = Arrays.copyOf(row, row.length, Object[].class); // row may be a String[], say
                }
                out[i] = v;
            }
        }
        return out;
    }

    /** Encodes a coerced row. */
    public byte[] encode(Object[] row) {
        ByteSink out = new ByteSink(sizeHint);
        out.put(FORMAT);
        int n = types.length;
        for (int b = 0; b < (n + 7) / 8; b++) {
            int bits = 0;
            for (int i = b * 8; i < Math.min(n, b * 8 + 8); i++) {
                if (row[i] == null) {
                    bits |= 1 << (i - b * 8);
                }
            }
            out.put(bits);
        }
        for (int i = 0; i < n; i++) {
            Object v = row[i];
            if (v == null) {
                continue;
            }
            writeValue(out, types[i], v);
            if (out.size() > MAX_ROW_BYTES) {
                throw tooLarge(out.size());
            }
        }
        int encoded = out.size();
        if (encoded != sizeHint) {
            sizeHint = encoded; // written only on change: a write per row would bounce the line between cores
        }
        return out.finish();
    }

    /** Writes one non-null value of {@code type} in the row format. */
    public static void writeValue(ByteSink out, ColumnType type, Object v) {
        switch (type) {
            case BOOLEAN -> out.put((Boolean) v ? 1 : 0);
            case SMALLINT -> out.putShort((Short) v);
            case INTEGER, DATE, TIME -> out.putInt((Integer) v);
            case BIGINT, TIMESTAMP -> out.putLong((Long) v);
            case DOUBLE -> out.putLong(Double.doubleToLongBits((Double) v));
            case DECIMAL -> {
                BigDecimal d = (BigDecimal) v;
                int scale = d.scale();
                out.putVarInt((scale << 1) ^ (scale >> 31));
                byte[] u = d.unscaledValue().toByteArray();
                out.putVarInt(u.length).put(u);
            }
            case VARCHAR -> {
                String str = (String) v;
                if (!out.putAsciiWithLength(str)) { // ASCII is written straight from the chars (no UTF-8 copy)
                    byte[] s = str.getBytes(StandardCharsets.UTF_8);
                    out.putVarInt(s.length).put(s);
                }
            }
            case VARBINARY -> {
                byte[] b = (byte[]) v;
                out.putVarInt(b.length).put(b);
            }
        }
    }

    /** Reads one non-null value of {@code type} written by {@link #writeValue}. */
    public static Object readValue(ByteSource in, ColumnType type) {
        Object v = read(in, type);
        if (v == null) {
            throw new StrataException(ErrorCode.CORRUPTION, "null value of type " + type);
        }
        return v;
    }

    private StrataException tooLarge(int size) {
        return new StrataException(
                ErrorCode.VALUE_TOO_LARGE,
                "row of table " + schema.name() + " encodes to more than " + (size - 1) + " bytes; the limit is "
                        + MAX_ROW_BYTES);
    }

    /** Decodes a row written by {@link #encode}. */
    public Object[] decode(byte[] bytes) {
        ByteSource in = openRow(bytes);
        int n = types.length;
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
            if ((bytes[1 + (i >>> 3)] & (1 << (i & 7))) != 0) {
                continue;
            }
            row[i] = read(in, types[i]);
        }
        checkNoExtraBytes(in);
        return row;
    }

    /** A source over {@code bytes} positioned after the format byte and the null bitmap, both checked. */
    private ByteSource openRow(byte[] bytes) {
        ByteSource in = new ByteSource(bytes);
        int format = in.get();
        if (format != FORMAT) {
            throw new StrataException(
                    ErrorCode.CORRUPTION, "row of table " + schema.name() + " has unknown format " + format);
        }
        int bitmapBytes = (types.length + 7) / 8;
        if (bytes.length < 1 + bitmapBytes) {
            throw new StrataException(ErrorCode.CORRUPTION, "row of table " + schema.name() + " is truncated");
        }
        in.skip(bitmapBytes);
        return in;
    }

    private void checkNoExtraBytes(ByteSource in) {
        if (in.hasRemaining()) {
            throw new StrataException(
                    ErrorCode.CORRUPTION, "row of table " + schema.name() + " has " + in.remaining() + " extra bytes");
        }
    }

    /**
     * The plan for decoding only {@code columns} of this table's rows (see {@link #decode(byte[],
     * RowProjection)}); fails with INVALID_ARGUMENT naming the table if an index is out of range.
     */
    public RowProjection projection(int[] columns) {
        RowProjection last = lastProjection;
        if (last != null && last.projects(columns)) {
            return last;
        }
        for (int c : columns) {
            if (c < 0 || c >= types.length) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        "column index " + c + " is out of range for table " + schema.name() + " with " + types.length
                                + " columns");
            }
        }
        RowProjection p = new RowProjection(types, columns);
        lastProjection = p;
        return p;
    }

    /**
     * Decodes only the projected columns of a row written by {@link #encode}: element {@code i} is the value of
     * column {@code p}'s {@code i}-th column. The other columns are skipped without being built, and the bytes
     * after the last projected column are not read (so only the bytes read are checked for corruption). A
     * projection of no columns (as for {@code COUNT(*)}) reads no byte and returns a shared empty array.
     */
    public Object[] decode(byte[] bytes, RowProjection p) {
        return p.width() == 0 ? NO_COLUMNS : decodeColumns(bytes, p);
    }

    private Object[] decodeColumns(byte[] bytes, RowProjection p) {
        ByteSource in = openRow(bytes);
        Object[] row = p.decode(bytes, 1, in);
        if (p.readsToEnd(types.length)) {
            checkNoExtraBytes(in);
        }
        return row;
    }

    private static @Nullable Object read(ByteSource in, ColumnType type) {
        return switch (type) {
            case BOOLEAN -> in.get() != 0;
            case SMALLINT -> (short) in.getShort();
            case INTEGER, DATE, TIME -> in.getInt();
            case BIGINT, TIMESTAMP -> in.getLong();
            case DOUBLE -> Double.longBitsToDouble(in.getLong());
            case DECIMAL -> {
                int z = in.getVarInt();
                int scale = (z >>> 1) ^ -(z & 1);
                byte[] u = in.getBytes(in.getVarInt());
                if (u.length == 0) {
                    throw new StrataException(ErrorCode.CORRUPTION, "empty decimal");
                }
                yield new BigDecimal(new BigInteger(u), scale);
            }
            case VARCHAR -> in.getUtf8(in.getVarInt());
            case VARBINARY -> in.getBytes(in.getVarInt());
        };
    }
}
