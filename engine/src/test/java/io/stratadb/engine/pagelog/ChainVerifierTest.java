package io.stratadb.engine.pagelog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import org.junit.jupiter.api.Test;

/** The chain rules on the example history of the page-log site page, and damaged stored chains. */
class ChainVerifierTest {
    private final TableIndex table = new TableIndex(9);

    private void put(long lsn, PutArgs args) {
        ChainVerifier.checkPut(9, 20, table.history(20), args);
        PageRecord.Kind kind = args.delta() ? PageRecord.Kind.DELTA : PageRecord.Kind.FULL;
        table.add(new PageEntry(20, lsn, args.backlinkLsn(), args.baseLsn(), kind, 1, -1, new byte[1]));
    }

    private void discard(long lsn, long backlink, long base) {
        ChainVerifier.checkDiscard(9, 20, table.history(20), backlink, base);
        table.add(new PageEntry(20, lsn, backlink, base, PageRecord.Kind.DISCARD, 0, -1, new byte[0]));
    }

    private long[] chain(long at) {
        return table.chain(20, at).stream().mapToLong(PageEntry::lsn).toArray();
    }

    @Test
    void theSitePageExampleHistory() {
        put(7, PutArgs.full(0));
        put(8, PutArgs.delta(7, 7));
        put(9, PutArgs.delta(8, 7));
        put(10, PutArgs.delta(8, 7));
        put(11, PutArgs.full(7));
        put(12, PutArgs.delta(11, 11));
        discard(13, 12, 11);
        assertThrows(StrataException.class, () -> put(14, PutArgs.full(11)));
        put(14, PutArgs.full(0));
        assertArrayEquals(new long[] {7, 8, 9}, chain(9));
        assertArrayEquals(new long[] {7, 8, 10}, chain(10));
        assertArrayEquals(new long[] {11, 12}, chain(12));
        StrataException e = assertThrows(StrataException.class, () -> chain(13));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertArrayEquals(new long[] {14}, chain(0));
        assertArrayEquals(new long[0], chain(6));
    }

    @Test
    void aDiscardMayBacklinkToAnOlderDeltaOfTheChain() {
        // WiredTiger's example: Disc(10, bl 8, base 7), d(9, bl 8), d(8, bl 7), Full(7)
        put(7, PutArgs.full(0));
        put(8, PutArgs.delta(7, 7));
        put(9, PutArgs.delta(8, 7));
        discard(10, 8, 7);
        assertArrayEquals(new long[] {7, 8, 9}, chain(9));
    }

    @Test
    void damagedStoredChainsAreCorruption() {
        table.add(new PageEntry(20, 5, 0, 0, PageRecord.Kind.FULL, 1, -1, new byte[1]));
        table.add(new PageEntry(20, 6, 4, 5, PageRecord.Kind.DELTA, 1, -1, new byte[1])); // backlink to nothing
        StrataException e = assertThrows(StrataException.class, () -> chain(0));
        assertEquals(ErrorCode.CORRUPTION, e.code());
        assertTrue(e.getMessage().contains("table 9 page 20"), e.getMessage());

        TableIndex t2 = new TableIndex(9);
        t2.add(new PageEntry(20, 5, 0, 0, PageRecord.Kind.FULL, 1, -1, new byte[1]));
        t2.add(new PageEntry(20, 6, 5, 3, PageRecord.Kind.DELTA, 1, -1, new byte[1])); // wrong base
        assertEquals(
                ErrorCode.CORRUPTION,
                assertThrows(StrataException.class, () -> t2.chain(20, 0)).code());

        TableIndex t3 = new TableIndex(9);
        t3.add(new PageEntry(20, 5, 0, 0, PageRecord.Kind.FULL, 1, -1, new byte[1]));
        t3.add(new PageEntry(20, 6, 2, 0, PageRecord.Kind.FULL, 1, -1, new byte[1])); // wrong full backlink
        assertEquals(
                ErrorCode.CORRUPTION,
                assertThrows(StrataException.class, () -> t3.chain(20, 0)).code());
        assertArrayEquals(
                new long[] {5},
                t3.chain(20, 5).stream().mapToLong(PageEntry::lsn).toArray());
    }

    @Test
    void abandonAboveLsnZeroRemovesEveryRecordSoTheIdStartsAgainWithBacklinkZero() {
        // the index side of the FailoverTest flake: LSN 0 means "newest" to a read, but "nothing" to an abandon
        put(7, PutArgs.full(0));
        put(8, PutArgs.delta(7, 7));
        table.add(new PageEntry(21, 9, 0, 0, PageRecord.Kind.FULL, 1, -1, new byte[1]));
        assertEquals(2, table.removeAbove(7), "above a completion at 7: the delta of page 20 and page 21");
        assertArrayEquals(new long[] {7}, chain(0));
        assertEquals(1, table.removeAbove(0), "no completion at all: every record goes");
        assertArrayEquals(new long[0], table.pageIds(0));
        assertNull(table.history(20));
        put(10, PutArgs.full(0)); // accepted: the id is new again
        assertArrayEquals(new long[] {10}, chain(0));
    }
}
