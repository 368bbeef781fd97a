package io.stratadb.engine.row;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());

    private static KeyCodec codec(ColumnType... types) {
        List<ColumnDef> cols = new ArrayList<>();
        List<Integer> pk = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            cols.add(new ColumnDef("K" + i, types[i], 0, 0, false, null));
            pk.add(i);
        }
        return new KeyCodec(new TableSchema("T", cols, pk));
    }

    private static <T> void assertSortsLike(ColumnType type, List<T> values, Comparator<T> order) {
        KeyCodec c = codec(type);
        List<T> sorted = new ArrayList<>(values);
        sorted.sort(order);
        List<T> byBytes = new ArrayList<>(values);
        byBytes.sort((a, b) -> Arrays.compareUnsigned(c.encodeKey(new Object[] {a}), c.encodeKey(new Object[] {b})));
        for (int i = 0; i < sorted.size(); i++) {
            assertEquals(
                    0,
                    order.compare(sorted.get(i), byBytes.get(i)),
                    type + " order differs at " + i + ": " + sorted.get(i) + " vs " + byBytes.get(i) + " seed=" + SEED);
        }
    }

    private static <T> List<T> randoms(Function<Random, T> gen) {
        Random r = new Random(SEED);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            out.add(gen.apply(r));
        }
        return out;
    }

    @Test
    void integersSortNumerically() {
        List<Long> longs = randoms(r -> r.nextInt(4) == 0 ? (long) r.nextInt(21) - 10 : r.nextLong());
        longs.addAll(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L));
        assertSortsLike(ColumnType.BIGINT, longs, Long::compare);
        assertSortsLike(ColumnType.INTEGER, KeyCodecTest.<Integer>randoms(Random::nextInt), Integer::compare);
        assertSortsLike(ColumnType.SMALLINT, KeyCodecTest.<Short>randoms(r -> (short) r.nextInt()), Short::compare);
        assertSortsLike(ColumnType.TIMESTAMP, KeyCodecTest.<Long>randoms(Random::nextLong), Long::compare);
        assertSortsLike(
                ColumnType.DATE, KeyCodecTest.<Integer>randoms(r -> r.nextInt(200_000) - 100_000), Integer::compare);
    }

    @Test
    void doublesSortNumerically() {
        List<Double> ds = randoms(r -> switch (r.nextInt(4)) {
            case 0 -> r.nextGaussian();
            case 1 -> -r.nextDouble() * 1e300;
            case 2 -> (double) (r.nextInt(9) - 4);
            default -> r.nextDouble() * 1e-300;
        });
        ds.addAll(List.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE));
        assertSortsLike(ColumnType.DOUBLE, ds, (a, b) -> Double.compare(a + 0.0, b + 0.0)); // -0.0 == 0.0 in SQL
    }

    @Test
    void decimalsSortNumericallyWhateverTheirScale() {
        List<BigDecimal> ds = randoms(r -> {
            BigDecimal b = BigDecimal.valueOf(r.nextInt(2_000_001) - 1_000_000, r.nextInt(12) - 4);
            return r.nextBoolean() ? b : b.setScale(b.scale() + r.nextInt(3));
        });
        ds.addAll(List.of(
                new BigDecimal("0.5"), new BigDecimal("0.51"), new BigDecimal("-0.5"), new BigDecimal("-0.51")));
        ds.addAll(List.of(BigDecimal.ZERO, new BigDecimal("0.000"), new BigDecimal("1E+30"), new BigDecimal("-1E-30")));
        assertSortsLike(ColumnType.DECIMAL, ds, BigDecimal::compareTo);
        KeyCodec c = codec(ColumnType.DECIMAL);
        assertArrayEquals(
                c.encodeKey(new Object[] {new BigDecimal("1.50")}), c.encodeKey(new Object[] {new BigDecimal("1.5")}));
    }

    @Test
    void stringsAndBinariesSortByCodePointAndByteWithPrefixesFirst() {
        List<String> ss = randoms(r -> {
            char[] cs = new char[r.nextInt(5)];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = "ab\u0000\u0001z\u00e9\u4e2d".charAt(r.nextInt(7));
            }
            return new String(cs);
        });
        assertSortsLike(ColumnType.VARCHAR, ss, String::compareTo);
        List<byte[]> bs = randoms(r -> {
            byte[] b = new byte[r.nextInt(4)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) new int[] {0, 1, 0xFF, 0x7F, 0x80}[r.nextInt(5)];
            }
            return b;
        });
        assertSortsLike(ColumnType.VARBINARY, bs, Arrays::compareUnsigned);
        assertSortsLike(ColumnType.BOOLEAN, List.of(true, false, true), Boolean::compare);
    }

    @Test
    void compositeKeysSortByFirstColumnThenSecond() {
        KeyCodec c = codec(ColumnType.VARCHAR, ColumnType.INTEGER);
        byte[] a1 = c.encodeKey(new Object[] {"a", 1});
        byte[] a2 = c.encodeKey(new Object[] {"a", 2});
        byte[] ab0 = c.encodeKey(new Object[] {"ab", -5});
        assertTrue(Arrays.compareUnsigned(a1, a2) < 0);
        assertTrue(Arrays.compareUnsigned(a2, ab0) < 0, "'a' sorts before 'ab' whatever the second column");
        byte[] prefix = c.encodePrefix(new Object[] {"a"});
        byte[] end = KeyCodec.prefixEnd(prefix);
        assertTrue(Arrays.compareUnsigned(prefix, a1) <= 0 && Arrays.compareUnsigned(a2, end) < 0);
        assertTrue(Arrays.compareUnsigned(ab0, end) >= 0, "prefix 'a' does not cover 'ab'");
    }

    @Test
    void nullsSortFirstAndPrefixEndHandlesAllOnes() {
        KeyCodec c = codec(ColumnType.INTEGER);
        assertTrue(Arrays.compareUnsigned(
                        c.encodePrefix(new Object[] {null}), c.encodeKey(new Object[] {Integer.MIN_VALUE}))
                < 0);
        assertNull(KeyCodec.prefixEnd(new byte[] {(byte) 0xFF, (byte) 0xFF}));
        assertArrayEquals(new byte[] {1, 3}, KeyCodec.prefixEnd(new byte[] {1, 2, (byte) 0xFF}));
    }

    @Test
    void badKeysFailWithTheirCodes() {
        KeyCodec c = codec(ColumnType.INTEGER, ColumnType.VARCHAR);
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                assertThrows(StrataException.class, () -> c.encodeKey(new Object[] {1}))
                        .code());
        assertEquals(
                ErrorCode.INVALID_VALUE,
                assertThrows(StrataException.class, () -> c.encodeKey(new Object[] {"x", "y"}))
                        .code());
        assertEquals(
                ErrorCode.NUMERIC_OUT_OF_RANGE,
                assertThrows(StrataException.class, () -> c.encodeKey(new Object[] {1L << 40, "y"}))
                        .code());
        String big = "x".repeat(KeyCodec.MAX_KEY_BYTES);
        assertEquals(
                ErrorCode.VALUE_TOO_LARGE,
                assertThrows(StrataException.class, () -> c.encodeKey(new Object[] {1, big}))
                        .code());
        assertArrayEquals(
                c.encodeKey(new Object[] {7, "q"}),
                c.encodeKey(new Object[] {7L, "q"}),
                "any exact number is accepted");
    }
}
