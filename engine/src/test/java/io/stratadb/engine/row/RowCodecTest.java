package io.stratadb.engine.row;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RowCodecTest {
    private static final TableSchema SCHEMA = new TableSchema(
            "T",
            List.of(
                    new ColumnDef("ID", ColumnType.BIGINT, 0, 0, false, null),
                    ColumnDef.of("B", ColumnType.BOOLEAN),
                    ColumnDef.of("S", ColumnType.SMALLINT),
                    ColumnDef.of("I", ColumnType.INTEGER),
                    new ColumnDef("D", ColumnType.DECIMAL, 6, 2, true, null),
                    ColumnDef.of("F", ColumnType.DOUBLE),
                    new ColumnDef("V", ColumnType.VARCHAR, 5, 0, true, null),
                    new ColumnDef("X", ColumnType.VARBINARY, 3, 0, true, null),
                    ColumnDef.of("DT", ColumnType.DATE),
                    ColumnDef.of("TM", ColumnType.TIME),
                    ColumnDef.of("TS", ColumnType.TIMESTAMP)),
            List.of(0));
    private static final RowCodec CODEC = new RowCodec(SCHEMA);

    private static Object[] row(@Nullable Object... changes) {
        Object[] r = {1L, true, (short) 2, 3, new BigDecimal("4.50"), 5.5, "héllo", new byte[] {1, 2}, 19000, 1000, 123L
        };
        for (int i = 0; i < changes.length; i += 2) {
            r[(Integer) changes[i]] = changes[i + 1];
        }
        return r;
    }

    @Test
    void rowsRoundTripIncludingNulls() {
        Object[] r = CODEC.coerceRow(row());
        Object[] back = CODEC.decode(CODEC.encode(r));
        assertEquals(Arrays.deepToString(r), Arrays.deepToString(back));
        Object[] nulls = CODEC.coerceRow(new Object[] {9L, null, null, null, null, null, null, null, null, null, null});
        assertArrayEquals(nulls, CODEC.decode(CODEC.encode(nulls)));
    }

    @Test
    void stringsAreWrittenAsTheirUtf8BytesWhetherAsciiOrNot() {
        for (String v : List.of("", "plain ascii", "x".repeat(300), "caf\u00e9", "\u65e5\u672c", "a\ud83d\ude00b")) {
            ByteSink fast = new ByteSink(8);
            RowCodec.writeValue(fast, ColumnType.VARCHAR, v);
            byte[] utf8 = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] expected = new ByteSink(8).putVarInt(utf8.length).put(utf8).toByteArray();
            assertArrayEquals(expected, fast.toByteArray(), v);
            assertEquals(v, RowCodec.readValue(new ByteSource(fast.toByteArray()), ColumnType.VARCHAR), v);
        }
        // rows of different sizes one after the other: the encoder's size hint must never truncate or pad
        for (String v : List.of("abcde", "s", "", "ab\u00e9")) {
            Object[] r = CODEC.coerceRow(row(6, v));
            assertEquals(Arrays.deepToString(r), Arrays.deepToString(CODEC.decode(CODEC.encode(r))), v);
        }
    }

    @Test
    void numbersAreCoercedExactly() {
        Object[] r =
                CODEC.coerceRow(row(0, 7, 2, 3L, 3, new BigDecimal("8.000"), 4, 3, 5, 2, 8, LocalDate.of(2020, 1, 1)));
        assertEquals(7L, r[0]);
        assertEquals((short) 3, r[2]);
        assertEquals(8, r[3]);
        assertEquals(new BigDecimal("3.00"), r[4]);
        assertEquals(2.0, r[5]);
        assertEquals(18262, r[8]);
        assertEquals(BigInteger.TEN.longValue(), CODEC.coerceRow(row(0, BigInteger.TEN))[0]);
    }

    private static ErrorCode fail(@Nullable Object... changes) {
        return assertThrows(StrataException.class, () -> CODEC.coerceRow(row(changes)))
                .code();
    }

    @Test
    void badValuesFailWithTheirSqlStates() {
        assertEquals(ErrorCode.NOT_NULL_VIOLATION, fail(0, null));
        assertEquals(ErrorCode.NUMERIC_OUT_OF_RANGE, fail(2, 40000));
        assertEquals(ErrorCode.NUMERIC_OUT_OF_RANGE, fail(3, 1L << 33));
        assertEquals(ErrorCode.NUMERIC_OUT_OF_RANGE, fail(4, new BigDecimal("1.234")));
        assertEquals(ErrorCode.NUMERIC_OUT_OF_RANGE, fail(4, new BigDecimal("12345.6")));
        assertEquals(ErrorCode.INVALID_VALUE, fail(3, 1.5));
        assertEquals(ErrorCode.INVALID_VALUE, fail(3, "7"));
        assertEquals(ErrorCode.INVALID_VALUE, fail(1, 1));
        assertEquals(ErrorCode.STRING_TOO_LONG, fail(6, "toolong"));
        assertEquals(ErrorCode.STRING_TOO_LONG, fail(7, new byte[4]));
        assertEquals(ErrorCode.NUMERIC_OUT_OF_RANGE, fail(9, ValueCoercion.MILLIS_PER_DAY));
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                assertThrows(StrataException.class, () -> CODEC.coerceRow(new Object[] {1L}))
                        .code());
    }

    @Test
    void oversizedRowsAndCorruptBytesAreRejected() {
        TableSchema blob = new TableSchema(
                "BLOBS",
                List.of(
                        new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null),
                        ColumnDef.of("B", ColumnType.VARBINARY)),
                List.of(0));
        RowCodec c = new RowCodec(blob);
        Object[] big = c.coerceRow(new Object[] {1, new byte[RowCodec.MAX_ROW_BYTES + 1]});
        assertEquals(
                ErrorCode.VALUE_TOO_LARGE,
                assertThrows(StrataException.class, () -> c.encode(big)).code());
        byte[] ok = c.encode(c.coerceRow(new Object[] {1, new byte[10]}));
        assertEquals(
                ErrorCode.CORRUPTION,
                assertThrows(StrataException.class, () -> c.decode(Arrays.copyOf(ok, ok.length - 1)))
                        .code());
        ok[0] = 9;
        assertEquals(
                ErrorCode.CORRUPTION,
                assertThrows(StrataException.class, () -> c.decode(ok)).code());
    }

    /** Every projection of width 0 to 3 over a full row, a row of NULLs and rows with some NULLs. */
    @Test
    void projectedDecodingEqualsFullDecodingProjected() {
        int n = SCHEMA.columns().size();
        List<Object[]> rows = List.of(
                CODEC.coerceRow(row()),
                CODEC.coerceRow(new Object[] {9L, null, null, null, null, null, null, null, null, null, null}),
                CODEC.coerceRow(row(1, null, 4, null, 6, null, 10, null)),
                CODEC.coerceRow(row(2, null, 5, null, 7, null, 8, null, 9, null)));
        for (Object[] r : rows) {
            byte[] bytes = CODEC.encode(r);
            Object[] full = CODEC.decode(bytes);
            for (int a = -1; a < n; a++) {
                for (int b = -1; b < n; b++) {
                    for (int c = -1; c < n; c++) {
                        int[] cols = java.util.stream.IntStream.of(a, b, c)
                                .filter(i -> i >= 0)
                                .toArray();
                        Object[] expected = new Object[cols.length];
                        for (int i = 0; i < cols.length; i++) {
                            expected[i] = full[cols[i]];
                        }
                        Object[] got = CODEC.decode(bytes, CODEC.projection(cols));
                        assertEquals(
                                Arrays.deepToString(expected),
                                Arrays.deepToString(got),
                                Arrays.toString(cols) + " of " + Arrays.deepToString(full));
                    }
                }
            }
        }
    }

    @Test
    void aRepeatedBinaryColumnIsCopiedNotShared() {
        byte[] bytes = CODEC.encode(CODEC.coerceRow(row()));
        Object[] got = CODEC.decode(bytes, CODEC.projection(new int[] {7, 7}));
        ((byte[]) got[0])[0] = 42;
        assertArrayEquals(new byte[] {1, 2}, (byte[]) got[1], "changing one element leaves the other alone");
    }

    @Test
    void projectionsCheckTheirColumnsAndTheBytesTheyRead() {
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                assertThrows(StrataException.class, () -> CODEC.projection(new int[] {11}))
                        .code());
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                assertThrows(StrataException.class, () -> CODEC.projection(new int[] {0, -1}))
                        .code());
        byte[] ok = CODEC.encode(CODEC.coerceRow(row()));
        byte[] truncated = Arrays.copyOf(ok, ok.length - 3);
        RowProjection last = CODEC.projection(new int[] {10});
        assertEquals(
                ErrorCode.CORRUPTION,
                assertThrows(StrataException.class, () -> CODEC.decode(truncated, last))
                        .code(),
                "skipping the columns before the last one still checks the bytes");
        assertEquals(1L, CODEC.decode(truncated, CODEC.projection(new int[] {0}))[0], "only the bytes read count");
        byte[] extra = Arrays.copyOf(ok, ok.length + 1);
        assertEquals(
                ErrorCode.CORRUPTION,
                assertThrows(StrataException.class, () -> CODEC.decode(extra, last))
                        .code(),
                "reading up to the last column notices trailing bytes");
        ok[0] = 9;
        assertEquals(
                ErrorCode.CORRUPTION,
                assertThrows(StrataException.class, () -> CODEC.decode(ok, CODEC.projection(new int[] {0})))
                        .code(),
                "an unknown format byte is noticed by any projection that reads a column");
        assertEquals(
                0,
                CODEC.decode(ok, CODEC.projection(new int[0])).length,
                "a projection of no columns (COUNT(*)) reads no byte of the row");
    }

    @Test
    void aRepeatedProjectionIsPlannedOnceAndADifferentOneIsNot() {
        RowProjection p = CODEC.projection(new int[] {2, 5});
        assertSame(p, CODEC.projection(new int[] {2, 5}), "the same columns reuse the plan");
        RowProjection q = CODEC.projection(new int[] {5, 2});
        assertNotSame(p, q);
        byte[] bytes = CODEC.encode(CODEC.coerceRow(row()));
        Object[] full = CODEC.decode(bytes);
        assertEquals(Arrays.asList(full[5], full[2]), Arrays.asList(CODEC.decode(bytes, q)));
    }
}
