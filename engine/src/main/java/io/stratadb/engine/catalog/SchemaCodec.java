package io.stratadb.engine.catalog;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import io.stratadb.engine.row.ByteSink;
import io.stratadb.engine.row.ByteSource;
import io.stratadb.engine.row.RowCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link TableSchema} in CREATE_TABLE records.
 *
 * <p>Layout: version byte {@code 1}; name; column count; per column: name, type ordinal, precision, scale,
 * nullable byte, default flag byte and (if set) the default in the row value format; key column count and
 * indexes. Strings are varint length + UTF-8; integers are varints.
 *
 * <p>Invariants: {@code decode(encode(s)).equals(s)}; malformed bytes throw CORRUPTION.
 *
 * <p>Thread safety: stateless.
 */
public final class SchemaCodec {
    private static final int VERSION = 1;

    private SchemaCodec() {}

    public static byte[] encode(TableSchema s) {
        ByteSink out = new ByteSink(128);
        out.put(VERSION);
        putString(out, s.name());
        out.putVarInt(s.columns().size());
        for (ColumnDef c : s.columns()) {
            putString(out, c.name());
            out.put(typeCode(c.type()));
            out.putVarInt(c.precision());
            out.putVarInt(c.scale());
            out.put(c.nullable() ? 1 : 0);
            Object d = c.defaultValue();
            out.put(d == null ? 0 : 1);
            if (d != null) {
                RowCodec.writeValue(out, c.type(), d);
            }
        }
        out.putVarInt(s.primaryKey().size());
        for (int i : s.primaryKey()) {
            out.putVarInt(i);
        }
        return out.toByteArray();
    }

    public static TableSchema decode(byte[] b) {
        ByteSource in = new ByteSource(b);
        int v = in.get();
        if (v != VERSION) {
            throw new StrataException(ErrorCode.CORRUPTION, "unknown schema format " + v);
        }
        String name = getString(in);
        int n = in.getVarInt();
        List<ColumnDef> cols = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String cn = getString(in);
            ColumnType type = typeOf(in.get(), name);
            int precision = in.getVarInt();
            int scale = in.getVarInt();
            boolean nullable = in.get() != 0;
            Object d = in.get() != 0 ? RowCodec.readValue(in, type) : null;
            cols.add(new ColumnDef(cn, type, precision, scale, nullable, d));
        }
        int k = in.getVarInt();
        List<Integer> pk = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            pk.add(in.getVarInt());
        }
        if (in.hasRemaining()) {
            throw new StrataException(ErrorCode.CORRUPTION, "schema of table " + name + " has trailing bytes");
        }
        try {
            return new TableSchema(name, cols, pk);
        } catch (StrataException e) {
            throw new StrataException(ErrorCode.CORRUPTION, "stored schema is invalid: " + e.getMessage(), e);
        }
    }

    /** The stored code of a column type (stable across releases, unlike ordinals). */
    private static int typeCode(ColumnType t) {
        return switch (t) {
            case BOOLEAN -> 1;
            case SMALLINT -> 2;
            case INTEGER -> 3;
            case BIGINT -> 4;
            case DECIMAL -> 5;
            case DOUBLE -> 6;
            case VARCHAR -> 7;
            case VARBINARY -> 8;
            case DATE -> 9;
            case TIME -> 10;
            case TIMESTAMP -> 11;
        };
    }

    private static ColumnType typeOf(int code, String table) {
        for (ColumnType t : ColumnType.values()) {
            if (typeCode(t) == code) {
                return t;
            }
        }
        throw new StrataException(ErrorCode.CORRUPTION, "unknown column type " + code + " in table " + table);
    }

    private static void putString(ByteSink out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.putVarInt(b.length).put(b);
    }

    private static String getString(ByteSource in) {
        return new String(in.getBytes(in.getVarInt()), StandardCharsets.UTF_8);
    }
}
