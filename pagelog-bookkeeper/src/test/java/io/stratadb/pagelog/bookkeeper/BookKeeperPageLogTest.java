package io.stratadb.pagelog.bookkeeper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.FencedException;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.bookkeeper.client.BKException;
import org.apache.bookkeeper.client.BookKeeper;
import org.apache.bookkeeper.conf.ClientConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Behaviour of the {@code bookkeeper:} backend beyond the shared contract: bookie loss, ledger deletion, URIs. */
@ExtendWith(BookKeeperCluster.Extension.class)
class BookKeeperPageLogTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static PageLog open(URI uri, String node) {
        return PageLogProviders.open(uri, new PageLogOptions(node, true));
    }

    @Test
    void aBookieStoppedDuringWritesLosesNoSyncedRecord() throws Exception {
        BookKeeperCluster cluster = BookKeeperCluster.get();
        URI uri = cluster.freshUri("bookie-loss");
        List<Long> acked = new ArrayList<>();
        try (PageLog w = open(uri, "writer")) {
            w.claimEpoch();
            try {
                for (int i = 0; i < 300; i++) {
                    long lsn = w.append(1, bytes("rec" + i));
                    if (i == 100) {
                        cluster.killBookie(); // one of the three copies of every entry is gone from here on
                    }
                    if (i % 10 == 9) {
                        w.sync(lsn);
                    }
                    acked.add(lsn);
                }
                w.sync(w.lastLsn());
            } finally {
                cluster.addBookie();
            }
            try (PageLog r = open(uri, "reader")) {
                List<Long> seen =
                        r.readLog(0, 1000).stream().map(LogRecord::lsn).toList();
                assertEquals(acked, seen, "every synced record is readable by another node");
            }
        }
        try (PageLog next = open(uri, "next")) {
            next.claimEpoch(); // recovery with the bookie set changed still finds every record
            assertEquals(acked.size(), next.readLog(0, 1000).size());
        }
    }

    @Test
    void aLeaderThatMissesTheEpochChangeIsStoppedByBookKeeperAndZooKeeper() {
        URI uri = BookKeeperCluster.get().freshUri("deaf");
        try (PageLog a = open(uri, "a");
                PageLog b = open(uri, "b")) {
            a.claimEpoch();
            ((BookKeeperPageLog) a).ignoreEpochWatchForTest(); // paused: it never hears of the new epoch
            long kept = a.append(1, bytes("before"));
            a.sync(kept);
            b.claimEpoch();
            // the deaf writer still hands out an LSN (it does not know), but nothing of it becomes durable
            long late = a.append(1, bytes("after the claim"));
            FencedException fe = assertThrows(FencedException.class, () -> a.sync(late));
            assertEquals(1, fe.writerEpoch());
            assertEquals(2, fe.currentEpoch());
            assertThrows(FencedException.class, () -> a.completeCheckpoint(1, 0, bytes("m")));
            try (PageLog observer = open(uri, "observer")) {
                assertEquals(
                        List.of(kept),
                        observer.readLog(0, 10).stream().map(LogRecord::lsn).toList(),
                        "the deposed writer's late record is nowhere");
                assertTrue(observer.completedCheckpoints().isEmpty());
            }
            long next = b.append(1, bytes("new leader"));
            b.sync(next);
            assertEquals(
                    List.of(kept, next),
                    a.readLog(0, 10).stream().map(LogRecord::lsn).toList(),
                    "the deposed node now reads what the new leader wrote");
        }
    }

    @Test
    void reclaimDeletesSupersededLedgersAndRewritesTheirLivePages() throws Exception {
        URI uri = BookKeeperCluster.get().freshUri("reclaim");
        try (PageLog l = open(uri, "leader")) {
            l.claimEpoch();
            BookKeeperPageLog log = (BookKeeperPageLog) l;
            PageLogHandle h = l.openHandle(5);
            long cold = h.put(100, PutArgs.full(0), bytes("never rewritten")); // lives on in the first ledger
            String big = "x".repeat(1000); // the hot page dominates each ledger's bytes
            long full = h.put(200, PutArgs.full(0), bytes("v0" + big));
            List<CheckpointCompletion> done = new ArrayList<>();
            for (int round = 1; round <= 4; round++) {
                full = h.put(200, PutArgs.full(full), bytes("v" + round + big));
                l.append(1, bytes("commit " + round));
                done.add(l.completeCheckpoint(round, 0, bytes("ckpt" + round)));
            }
            List<Long> before = log.ledgerIds();
            assertTrue(before.size() >= 5, "a completion rolls the ledger: " + before);
            l.reclaim(done.get(3).lsn());
            List<Long> after = log.ledgerIds();
            assertTrue(after.size() < before.size(), "superseded ledgers are dropped: " + before + " -> " + after);
            assertEquals(before.get(before.size() - 1), after.get(after.size() - 1), "the current ledger stays");

            ClientConfiguration cc = new ClientConfiguration();
            cc.setMetadataServiceUri("zk+null://" + BookKeeperCluster.get().zkConnect() + "/ledgers");
            BookKeeper bk = new BookKeeper(cc);
            try {
                for (long id : before) {
                    if (!after.contains(id)) {
                        assertDeleted(bk, id);
                    }
                }
            } finally {
                bk.close();
            }
            // the live page of the deleted first ledger was rewritten: every node still reads it, at its LSN
            try (PageLog fresh = open(uri, "fresh")) {
                List<PageRecord> chain = fresh.openHandle(5).get(100, 0);
                assertEquals(1, chain.size());
                assertEquals(cold, chain.get(0).lsn());
                assertArrayEquals(bytes("never rewritten"), chain.get(0).payload());
                assertEquals(full, fresh.openHandle(5).get(200, 0).get(0).lsn());
                assertEquals(l.lastLsn(), fresh.lastLsn());
                assertEquals(List.of(), fresh.readLog(0, 10), "log records up to the checkpoint are reclaimed");
            }
            // the writer continues on the same chains
            long next = h.put(100, PutArgs.full(cold), bytes("finally rewritten"));
            assertTrue(next > l.completedCheckpoint(0).orElseThrow().lsn());
        }
    }

    private static void assertDeleted(BookKeeper bk, long id) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L; // a ZooKeeper write, which a loaded disk can stall
        while (System.nanoTime() < deadline) {
            try {
                bk.openLedgerNoRecovery(id, BookKeeper.DigestType.CRC32C, LedgerReads.PASSWORD)
                        .close();
            } catch (BKException.BKNoSuchLedgerExistsException
                    | BKException.BKNoSuchLedgerExistsOnMetadataServerException e) {
                return;
            }
            Thread.sleep(20); // deletion is asynchronous
        }
        throw new AssertionError("ledger " + id + " still exists");
    }

    @Test
    void badUrisAreRejectedWithTheirReason() {
        for (String bad : List.of(
                "bookkeeper:///strata/x",
                "bookkeeper://127.0.0.1:1/",
                "bookkeeper://127.0.0.1:1/a?ensemble=2&writeQuorum=3",
                "bookkeeper://127.0.0.1:1/a?colour=blue",
                "bookkeeper://127.0.0.1:1/a?rollBytes=many")) {
            StrataException e = assertThrows(StrataException.class, () -> PageLogUri.parse(URI.create(bad)), bad);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        PageLogUri ok = PageLogUri.parse(URI.create("bookkeeper://h1:2181,h2:2181/strata/db?ackQuorum=3"));
        assertEquals("h1:2181,h2:2181", ok.zkConnect());
        assertEquals("/strata/db", ok.basePath());
        assertEquals(3, ok.ackQuorum());
        assertEquals("zk+null://h1:2181;h2:2181/ledgers", ok.metadataServiceUri());
    }
}
