package io.stratadb.pagelog.bookkeeper.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chain rules and reclaim on in-memory page histories, without a cluster. */
class ChainRulesTest {
    private static final Location HERE = new Location(1, 0);

    private static PageVersion full(long lsn, long backlink) {
        return new PageVersion(lsn, PageRecord.Kind.FULL, backlink, 0, 1, HERE);
    }

    private static PageVersion delta(long lsn, long backlink, long base) {
        return new PageVersion(lsn, PageRecord.Kind.DELTA, backlink, base, 1, HERE);
    }

    private static PageVersion discard(long lsn, long backlink, long base) {
        return new PageVersion(lsn, PageRecord.Kind.DISCARD, backlink, base, 0, HERE);
    }

    private static List<Long> lsns(List<PageVersion> chain) {
        return chain.stream().map(PageVersion::lsn).toList();
    }

    @Test
    void aDiscardThatBacklinksToAnOlderDeltaIsValid() {
        PageVersions p = new PageVersions();
        p.put(full(7, 0));
        p.put(delta(8, 7, 7));
        p.put(delta(9, 8, 7));
        ChainRules.checkDiscard(1, 100, p, 8, 7);
        p.put(discard(10, 8, 7));
        assertEquals(List.of(7L, 8L, 9L), lsns(ChainRules.chain(1, 100, p, 9)));
        StrataException e = assertThrows(StrataException.class, () -> ChainRules.chain(1, 100, p, 0));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        ChainRules.checkPut(1, 100, p, PutArgs.full(0));
        assertThrows(StrataException.class, () -> ChainRules.checkPut(1, 100, p, PutArgs.full(7)));
    }

    @Test
    void aStoredChainThatBreaksTheRulesReadsAsCorruption() {
        PageVersions p = new PageVersions();
        p.put(full(5, 0));
        p.put(delta(6, 5, 4)); // wrong base
        StrataException e = assertThrows(StrataException.class, () -> ChainRules.chain(2, 300, p, 0));
        assertEquals(ErrorCode.CORRUPTION, e.code());
        assertEquals(true, e.getMessage().contains("table 2 page 300"), e.getMessage());
        PageVersions q = new PageVersions();
        q.put(full(5, 3)); // backlink to a full image that never existed
        assertEquals(
                ErrorCode.CORRUPTION,
                assertThrows(StrataException.class, () -> ChainRules.chain(2, 301, q, 0))
                        .code());
    }

    @Test
    void reclaimKeepsTheChainAtTheCheckpointAndLaterRecords() {
        PageVersions p = new PageVersions();
        p.put(full(1, 0));
        p.put(delta(2, 1, 1));
        p.put(full(3, 1));
        p.put(delta(4, 3, 3));
        p.put(full(6, 3));
        p.reclaim(5);
        assertEquals(List.of(3L, 4L), lsns(ChainRules.chain(1, 100, p, 5)));
        assertEquals(List.of(6L), lsns(ChainRules.chain(1, 100, p, 0)));
        assertEquals(3, p.size());
        PageVersions gone = new PageVersions();
        gone.put(full(1, 0));
        gone.put(discard(2, 1, 1));
        gone.reclaim(2);
        assertEquals(0, gone.size());
    }
}
