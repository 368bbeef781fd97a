package io.stratadb.engine.row;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteSinkTest {
    @Test
    void asciiIsWrittenWithItsLengthAndAnythingElseIsRefusedWithoutWritingAByte() {
        for (String s : new String[] {"", "abc", "x".repeat(200), "tab\tand\u007f"}) {
            ByteSink out = new ByteSink(1).put(9);
            assertTrue(out.putAsciiWithLength(s), s);
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            ByteSink want = new ByteSink(1).put(9).putVarInt(utf8.length).put(utf8);
            assertArrayEquals(want.toByteArray(), out.toByteArray(), s);
        }
        // Latin-1 but not ASCII; and a char whose low byte is ASCII ('A' is 0x41, U+0141 is L with stroke)
        for (String s : new String[] {"caf\u00e9", "\u0141", "abc\u0141def", "\u20ac"}) {
            ByteSink out = new ByteSink(1).put(9);
            assertFalse(out.putAsciiWithLength(s), s);
            assertArrayEquals(new byte[] {9}, out.toByteArray(), s);
        }
    }

    @Test
    void varIntSizeIsWhatPutVarIntWrites() {
        for (int v : new int[] {0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, Integer.MAX_VALUE}) {
            ByteSink out = new ByteSink(1);
            out.putVarInt(v);
            assertEquals(ByteSink.varIntSize(v), out.size(), "value " + v);
            assertEquals(v, new ByteSource(out.toByteArray()).getVarInt(), "value " + v);
        }
    }

    @Test
    void reserveMakesRoomAndArrayExposesTheContent() {
        ByteSink out = new ByteSink(16);
        out.reserve(1000);
        assertTrue(out.capacity() >= 1000);
        out.putLong(0x0102030405060708L);
        assertEquals(8, out.size());
        assertEquals(1, out.array()[0]);
        assertEquals(8, out.array()[7]);
        out.reset();
        assertEquals(0, out.size());
    }
}
