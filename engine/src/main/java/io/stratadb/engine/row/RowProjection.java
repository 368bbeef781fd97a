package io.stratadb.engine.row;

import io.stratadb.api.ColumnType;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The plan for decoding some columns of a table's rows: which stored columns to read, which to skip, and where
 * each read value goes in the projected row.
 *
 * <p>Invariants: (1) {@code columns[i]} is the column behind element {@code i} of a projected row; (2) {@code
 * firstOut[c]} is the first element fed by column {@code c}, or -1 when no element is; its length is {@code last
 * + 1}, where {@code last} is the highest column read, so decoding stops after it; (3) {@code repeats} lists
 * the elements whose column also feeds an earlier element (copied, not decoded again).
 *
 * <p>Thread safety: immutable; shared by every row a cursor decodes.
 */
public final class RowProjection {
    private final int[] columns;
    private final int[] firstOut;
    private final int[] repeats;
    private final ColumnType[] types;

    RowProjection(ColumnType[] tableTypes, int[] columns) {
        this.columns = columns.clone();
        int last = -1;
        for (int c : columns) {
            last = Math.max(last, c);
        }
        this.firstOut = new int[last + 1];
        Arrays.fill(firstOut, -1);
        int[] rep = new int[columns.length];
        int nRep = 0;
        for (int i = 0; i < columns.length; i++) {
            int c = columns[i];
            if (firstOut[c] < 0) {
                firstOut[c] = i;
            } else {
                rep[nRep++] = i;
            }
        }
        this.repeats = Arrays.copyOf(rep, nRep);
        this.types = Arrays.copyOf(tableTypes, last + 1);
    }

    /** The number of elements of a projected row. */
    public int width() {
        return columns.length;
    }

    /** Whether this projection returns exactly {@code cols}, in that order. */
    boolean projects(int[] cols) {
        return Arrays.equals(columns, cols);
    }

    /** Whether decoding reads every stored column (so it can check that nothing follows the last one). */
    boolean readsToEnd(int tableColumns) {
        return firstOut.length == tableColumns;
    }

    /**
     * Decodes the projected columns of a row whose null bitmap starts at {@code bitmap} and whose values follow
     * it in {@code in}; columns after the last one read are not looked at.
     */
    Object[] decode(byte[] bytes, int bitmap, ByteSource in) {
        Object[] out = new Object[columns.length];
        int n = firstOut.length;
        for (int c = 0; c < n; c++) {
            if ((bytes[bitmap + (c >>> 3)] & (1 << (c & 7))) != 0) {
                continue; // NULL: nothing stored, the element stays null
            }
            int at = firstOut[c];
            if (at >= 0) {
                out[at] = RowCodec.readValue(in, types[c]);
            } else {
                skip(in, types[c]);
            }
        }
        for (int i : repeats) {
            out[i] = copy(out[firstOut[columns[i]]]);
        }
        return out;
    }

    /** A repeated element gets its own byte array, so a caller changing one element cannot change another. */
    private static @Nullable Object copy(@Nullable Object v) {
        return v instanceof byte[] b ? b.clone() : v;
    }

    /** Moves past one stored value of {@code type} without building it. */
    static void skip(ByteSource in, ColumnType type) {
        switch (type) {
            case BOOLEAN -> in.skip(1);
            case SMALLINT -> in.skip(2);
            case INTEGER, DATE, TIME -> in.skip(4);
            case BIGINT, TIMESTAMP, DOUBLE -> in.skip(8);
            case DECIMAL -> {
                in.getVarInt();
                in.skip(in.getVarInt());
            }
            case VARCHAR, VARBINARY -> in.skip(in.getVarInt());
        }
    }
}
