package io.stratadb.pagelog.bookkeeper.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entries survive encoding; damaged bytes are reported as corruption naming the ledger and entry. */
class EntryCodecTest {
    @Test
    void everyKindRoundTrips() {
        byte[] p = {1, 2, 3};
        for (Entry e : List.of(
                Entry.page(EntryKind.DELTA, 3, 17, 5, 100, 16, 12, p),
                Entry.page(EntryKind.FULL, 3, 18, 5, 101, 0, 0, p).asCopy(4),
                Entry.log(3, 19, 7, p),
                Entry.completion(3, 20, 1000, 900, p),
                Entry.control(EntryKind.ABANDON, 3, 15),
                Entry.control(EntryKind.MARKER, 3, 0))) {
            Entry back = EntryCodec.decode(9, 1, EntryCodec.encode(e));
            assertEquals(e.kind(), back.kind());
            assertEquals(e.copy(), back.copy());
            assertEquals(
                    List.of(
                            e.epoch(),
                            e.lsn(),
                            e.tableId(),
                            e.pageId(),
                            e.backlinkLsn(),
                            e.baseLsn(),
                            e.refLsn(),
                            e.aux()),
                    List.of(
                            back.epoch(),
                            back.lsn(),
                            back.tableId(),
                            back.pageId(),
                            back.backlinkLsn(),
                            back.baseLsn(),
                            back.refLsn(),
                            back.aux()));
            assertArrayEquals(e.payload(), back.payload());
        }
    }

    @Test
    void damagedEntriesAreCorruption() {
        byte[] good = EntryCodec.encode(Entry.log(1, 2, 3, new byte[] {4, 5}));
        for (byte[] bad : List.of(
                Arrays.copyOf(good, good.length - 1), Arrays.copyOf(good, 10), kindByte(good, 99), kindByte(good, 6))) {
            StrataException e = assertThrows(StrataException.class, () -> EntryCodec.decode(42, 7, bad));
            assertEquals(ErrorCode.CORRUPTION, e.code());
            assertTrue(e.getMessage().contains("ledger 42 entry 7"), e.getMessage());
        }
    }

    private static byte[] kindByte(byte[] b, int kind) {
        byte[] c = b.clone();
        c[2] = (byte) kind;
        return c;
    }
}
