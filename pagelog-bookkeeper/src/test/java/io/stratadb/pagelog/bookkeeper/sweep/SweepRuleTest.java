package io.stratadb.pagelog.bookkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sweep's decision and the ledger tags it reads, without a cluster. */
class SweepRuleTest {
    @Test
    void onlyOlderEpochLedgersOfThisPageLogThatTheManifestDoesNotListAreLeaked() {
        Map<Long, LedgerTag> tags = Map.of(
                1L, new LedgerTag("/strata/db", 1), // leaked by epoch 1
                2L, new LedgerTag("/strata/db", 1), // registered
                3L, new LedgerTag("/strata/db", 2), // the sweeper's own epoch: may be about to be registered
                4L, new LedgerTag("/strata/db", 3), // a newer writer's
                5L, new LedgerTag("/strata/db2", 1), // another page log's
                6L, new LedgerTag("/strata/db", LedgerTag.NO_EPOCH), // no epoch: its creator is unknown
                7L, new LedgerTag("/strata", 1)); // a prefix of the base path is another page log
        assertEquals(List.of(new SweepRule.Leaked(1, 1)), SweepRule.leaked("/strata/db", tags, 2, Set.of(2L, 3L)));
        assertEquals(List.of(), SweepRule.leaked("/strata/db", tags, 1, Set.of()), "nothing is below epoch 1");
    }

    @Test
    void tagsRoundTripAndLedgersWithoutOneAreNotAPageLogs() {
        LedgerTag t = new LedgerTag("/strata/db", 42);
        assertEquals(t, LedgerTag.fromCustomMetadata(t.toCustomMetadata()));
        assertNull(LedgerTag.fromCustomMetadata(Map.of()));
        byte[] base = "/strata/db".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                new LedgerTag("/strata/db", LedgerTag.NO_EPOCH),
                LedgerTag.fromCustomMetadata(Map.of(LedgerTag.PAGE_LOG_KEY, base)),
                "a ledger an older build rolled to has no epoch");
        assertEquals(
                LedgerTag.NO_EPOCH,
                java.util.Objects.requireNonNull(LedgerTag.fromCustomMetadata(Map.of(
                                LedgerTag.PAGE_LOG_KEY,
                                base,
                                LedgerTag.EPOCH_KEY,
                                "x".getBytes(StandardCharsets.UTF_8))))
                        .epoch(),
                "an unreadable epoch is no epoch");
    }
}
