package io.stratadb.engine.reconcile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The page byte format: round trips and corruption detection. */
class PageImageCodecTest {
    private static ImageEntry e(String k, long ts, @Nullable String v) {
        byte[] key = k.getBytes(StandardCharsets.UTF_8);
        return v == null
                ? ImageEntry.removal(key)
                : new ImageEntry(key, List.of(new StoredVersion(ts, ts + 1, v.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void fullImagesAndDeltasRoundTrip() {
        List<ImageEntry> full = List.of(e("a", 1, "x"), e("b", 2, ""), e("c", 3, "zzz"));
        PageImageCodec.Decoded d = PageImageCodec.decode(PageImageCodec.encode(false, full), "t");
        assertEquals(false, d.delta());
        assertEquals(3, d.entries().size());
        for (int i = 0; i < 3; i++) {
            assertTrue(full.get(i).sameVersion(d.entries().get(i)));
        }
        List<ImageEntry> delta = List.of(e("a", 5, null), e("d", 6, "new"));
        PageImageCodec.Decoded dd = PageImageCodec.decode(PageImageCodec.encode(true, delta), "t");
        assertTrue(dd.delta());
        assertTrue(dd.entries().get(0).removed());
        assertEquals(6, dd.entries().get(1).newest().commitTs());
        // several versions of one key, a tombstone above an older value
        ImageEntry history = new ImageEntry(
                "h".getBytes(StandardCharsets.UTF_8),
                List.of(new StoredVersion(30, 30, null), new StoredVersion(20, 25, new byte[] {7})));
        ImageEntry back = PageImageCodec.decode(PageImageCodec.encode(false, List.of(history)), "t")
                .entries()
                .get(0);
        assertTrue(history.sameVersion(back));
        assertNull(back.newest().value());
        assertEquals(25, back.versions().get(1).durableTs());
        List<ImageEntry> applied = TableReconciler.apply(d.entries(), dd.entries());
        assertEquals(3, applied.size());
        assertArrayEquals("d".getBytes(StandardCharsets.UTF_8), applied.get(2).key());
        assertEquals(
                List.of(),
                PageImageCodec.decode(PageImageCodec.encode(false, List.of()), "t")
                        .entries());
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] good = PageImageCodec.encode(false, List.of(e("key-1", 10, "value-1"), e("key-2", 11, "value-2")));
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                StrataException ex =
                        assertThrows(StrataException.class, () -> PageImageCodec.decode(bad, "t"), "byte " + i);
                assertEquals(ErrorCode.CORRUPTION, ex.code());
            }
        }
        for (int n = 0; n < good.length; n++) {
            byte[] torn = java.util.Arrays.copyOf(good, n);
            assertEquals(
                    ErrorCode.CORRUPTION,
                    assertThrows(StrataException.class, () -> PageImageCodec.decode(torn, "t"))
                            .code());
        }
    }
}
