package io.stratadb.pagelog.bookkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.FencedException;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.pagelog.bookkeeper.meta.EpochState;
import io.stratadb.pagelog.bookkeeper.meta.LedgerRef;
import io.stratadb.pagelog.bookkeeper.meta.Manifest;
import io.stratadb.pagelog.bookkeeper.meta.MetadataStore;
import io.stratadb.pagelog.bookkeeper.sweep.LedgerTag;
import io.stratadb.pagelog.bookkeeper.sweep.SweepRule;
import io.stratadb.pagelog.bookkeeper.sweep.SweepStats;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.bookkeeper.client.BKException;
import org.apache.bookkeeper.client.BookKeeper;
import org.apache.bookkeeper.client.BookKeeperAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leader's sweep of leaked ledgers on a real in-process cluster: which ledgers it deletes (tagged for this page
 * log, by an older epoch, in no manifest read after its claim) and which it keeps, including an old-epoch writer
 * racing its registration against the new leader's claim and sweep, run in a fixed order through test hooks. After
 * every case, every ledger the manifest names must still exist.
 */
@ExtendWith(BookKeeperCluster.Extension.class)
class LeakedLedgerSweepTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static URI uri(String name, String query) {
        return URI.create(BookKeeperCluster.get().freshUri(name) + "?" + query);
    }

    private static BookKeeperPageLog open(URI uri, String node) {
        return (BookKeeperPageLog) PageLogProviders.open(uri, new PageLogOptions(node, true));
    }

    private static boolean exists(BookKeeper bk, long id) throws Exception {
        try {
            bk.openLedgerNoRecovery(id, BookKeeper.DigestType.CRC32C, LedgerReads.PASSWORD)
                    .close();
            return true;
        } catch (BKException.BKNoSuchLedgerExistsException
                | BKException.BKNoSuchLedgerExistsOnMetadataServerException e) {
            return false;
        }
    }

    /** The ledger of an old-epoch writer that created it and never got to register it. */
    private static long leak(BookKeeperPageLog via, URI pageLog, long epoch) throws Exception {
        return new LedgerReads(via.bk())
                .createLedger(PageLogUri.parse(pageLog), epoch)
                .getId();
    }

    private static SweepStats awaitStats(BookKeeperPageLog log, Predicate<SweepStats> done) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            SweepStats s = log.sweeper().stats();
            if (done.test(s)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sweep did not get there in 30 s: " + s);
            }
            Thread.sleep(10);
        }
    }

    /** The manifest names no deleted ledger. */
    private static void assertManifestLedgersExist(BookKeeperPageLog log) throws Exception {
        for (long id : log.ledgerIds()) {
            assertTrue(exists(log.bk(), id), "the manifest names ledger " + id + ", which must exist");
        }
    }

    @Test
    void theNextLeaderDeletesAnOlderEpochsUnregisteredLedgerAndNothingElse() throws Exception {
        URI uri = uri("sweep-basic", "sweepIntervalMs=0");
        URI other = uri("sweep-other", "sweepIntervalMs=0");
        try (BookKeeperPageLog a = open(uri, "a");
                BookKeeperPageLog b = open(uri, "b")) {
            a.claimEpoch();
            long rec = a.append(1, bytes("kept"));
            a.completeCheckpoint(1, 0, bytes("m")); // rolls: two registered ledgers of epoch 1
            List<Long> registered = a.ledgerIds();
            assertEquals(2, registered.size(), "a completion rolls the ledger: " + registered);
            long leaked = leak(a, uri, 1); // created by epoch 1, never registered
            long otherLogs = leak(a, other, 1); // another page log's, unregistered as well
            long untagged = a.bk().createLedger(
                            3,
                            3,
                            2,
                            BookKeeper.DigestType.CRC32C,
                            LedgerReads.PASSWORD,
                            Map.of(
                                    LedgerTag.PAGE_LOG_KEY,
                                    bytes(PageLogUri.parse(uri).basePath())))
                    .getId(); // an older build's roll ledger: no epoch, so nothing proves it leaked
            long plain = a.bk().createLedger(BookKeeper.DigestType.CRC32C, LedgerReads.PASSWORD)
                    .getId(); // not a page log's at all

            assertEquals(2, b.claimEpoch());
            SweepStats s = awaitStats(b, st -> st.runs() >= 1);
            assertEquals(1, s.swept(), "exactly the leaked ledger: " + s);
            assertFalse(exists(b.bk(), leaked), "the leaked ledger of epoch 1 is deleted");
            for (long id : registered) {
                assertTrue(exists(b.bk(), id), "registered ledger " + id + " is kept");
            }
            assertTrue(exists(b.bk(), otherLogs), "another page log's ledger is kept");
            assertTrue(exists(b.bk(), untagged), "a ledger without an epoch tag is kept");
            assertTrue(exists(b.bk(), plain), "a ledger no page log created is kept");
            long own = leak(b, uri, 2); // as if b's writer were between creating and registering it
            assertEquals(List.of(), b.sweeper().sweepNow(), "the sweeper's own epoch is never swept");
            assertTrue(exists(b.bk(), own));
            assertManifestLedgersExist(b);
            assertEquals(
                    List.of(rec), b.readLog(0, 10).stream().map(LogRecord::lsn).toList());
            b.sync(b.append(1, bytes("the new leader writes")));
        }
    }

    @Test
    void anOldWriterFencedBetweenCreatingAndRegisteringALedgerLosesItToTheSweep() throws Exception {
        URI uri = uri("sweep-race-fenced", "sweepIntervalMs=0");
        try (BookKeeperPageLog a = open(uri, "a");
                BookKeeperPageLog b = open(uri, "b")) {
            a.claimEpoch();
            a.ignoreEpochWatchForTest(); // paused: it never hears of the new epoch
            long kept = a.append(1, bytes("before"));
            a.sync(kept);
            AtomicLong created = new AtomicLong(-1);
            AtomicReference<List<SweepRule.Leaked>> sweptInHook = new AtomicReference<>(List.of());
            a.reads().afterCreateForTest(lh -> {
                // a's roll created its next ledger; before a registers it, b claims and sweeps
                created.set(lh.getId());
                b.claimEpoch();
                sweptInHook.set(b.sweeper().sweepNow());
            });
            assertThrows(FencedException.class, () -> a.completeCheckpoint(1, 0, bytes("m")));
            long x = created.get();
            assertTrue(x >= 0, "the roll created a ledger");
            SweepStats s = awaitStats(b, st -> st.runs() >= 2);
            assertEquals(1, s.swept(), "the unregistered ledger is swept once: " + s + " " + sweptInHook.get());
            assertFalse(exists(b.bk(), x), "a's unregistered ledger " + x + " is deleted");
            assertFalse(b.ledgerIds().contains(x), "and no manifest names it");
            assertManifestLedgersExist(b);
            long next = b.append(1, bytes("after"));
            b.sync(next);
            try (BookKeeperPageLog r = open(uri, "r")) {
                assertEquals(
                        List.of(kept, next),
                        r.readLog(0, 10).stream().map(LogRecord::lsn).toList(),
                        "a reader sees the old leader's synced record and the new leader's");
                assertEquals(1, r.completedCheckpoints().size(), "a's completion was published before the claim");
            }
        }
    }

    @Test
    void anOldWritersLedgerRegisteredBeforeTheClaimIsKept() throws Exception {
        URI uri = uri("sweep-race-registered", "sweepIntervalMs=0");
        try (BookKeeperPageLog a = open(uri, "a");
                BookKeeperPageLog b = open(uri, "b")) {
            a.claimEpoch();
            a.ignoreEpochWatchForTest();
            a.completeCheckpoint(1, 0, bytes("m")); // the roll registers the next ledger, then b claims
            long x = a.ledgerIds().get(a.ledgerIds().size() - 1);
            b.claimEpoch();
            SweepStats s = awaitStats(b, st -> st.runs() >= 1);
            assertEquals(0, s.swept(), "nothing leaked: " + s);
            assertTrue(b.ledgerIds().contains(x), "the manifest names x");
            assertTrue(exists(b.bk(), x), "and x is kept");
            assertManifestLedgersExist(b);
            assertThrows(FencedException.class, () -> a.completeCheckpoint(2, 0, bytes("m2")));
        }
    }

    @Test
    void aRegistrationTriedWhileTheSweepRunsFailsAndItsLedgerGoesAtTheNextSweep() throws Exception {
        URI uri = uri("sweep-race-listing", "sweepIntervalMs=0");
        try (BookKeeperPageLog a = open(uri, "a");
                BookKeeperPageLog b = open(uri, "b");
                Clients.Lease zk = Clients.lease(PageLogUri.parse(uri))) {
            a.claimEpoch();
            MetadataStore meta =
                    new MetadataStore(zk.zk(), PageLogUri.parse(uri).basePath());
            EpochState oldEpoch = meta.readEpoch();
            long before = leak(a, uri, 1); // created before the sweep lists the ledgers
            AtomicLong after = new AtomicLong(-1);
            AtomicReference<StrataException> refused = new AtomicReference<>();
            AtomicBoolean once = new AtomicBoolean();
            b.sweeper().afterListingForTest(() -> {
                if (!once.compareAndSet(false, true)) {
                    return;
                }
                try {
                    after.set(leak(a, uri, 1)); // created after the listing: this sweep cannot see it
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                // epoch 1's writer now tries to register the first ledger, between the listing and the manifest read
                Manifest m = meta.readManifest();
                try {
                    meta.writeManifest(oldEpoch, m, m.plus(new LedgerRef(1, before, 1), 0));
                } catch (StrataException e) {
                    refused.set(e);
                }
            });
            b.claimEpoch();
            SweepStats s = awaitStats(b, st -> st.runs() >= 1);
            assertTrue(refused.get() instanceof FencedException, "the old epoch's registration fails: " + refused);
            assertEquals(1, s.swept(), "the ledger listed before the attempt is swept: " + s);
            assertFalse(exists(b.bk(), before));
            assertTrue(exists(b.bk(), after.get()), "the ledger created after the listing waits for the next sweep");
            assertEquals(
                    List.of(new SweepRule.Leaked(after.get(), 1)), b.sweeper().sweepNow());
            assertFalse(exists(b.bk(), after.get()));
            assertManifestLedgersExist(b);
        }
    }

    @Test
    void aDeposedLeaderStopsSweepingAndTheNewestLeaderSweeps() throws Exception {
        URI uri = uri("sweep-deposed", "sweepIntervalMs=0");
        try (BookKeeperPageLog a = open(uri, "a");
                BookKeeperPageLog b = open(uri, "b");
                BookKeeperPageLog c = open(uri, "c")) {
            a.claimEpoch();
            long leaked = leak(a, uri, 1);
            AtomicBoolean once = new AtomicBoolean();
            b.sweeper().afterListingForTest(() -> {
                if (once.compareAndSet(false, true)) {
                    c.claimEpoch(); // b is deposed after it listed the ledgers, before it reads the manifest
                }
            });
            b.claimEpoch();
            SweepStats sb = awaitStats(b, st -> st.runs() >= 1);
            assertEquals(0, sb.swept(), "the deposed leader deletes nothing: " + sb);
            assertEquals(List.of(), b.sweeper().sweepNow(), "and sweeps no more");
            SweepStats sc = awaitStats(c, st -> st.runs() >= 1);
            assertEquals(1, sc.swept(), "the newest leader sweeps: " + sc);
            assertFalse(exists(c.bk(), leaked));
            assertManifestLedgersExist(c);
        }
    }

    @Test
    void periodicSweepsAndRetriedReclaimDeletes() throws Exception {
        URI uri = uri("sweep-periodic", "sweepIntervalMs=100");
        try (BookKeeperPageLog a = open(uri, "a");
                BookKeeperPageLog b = open(uri, "b")) {
            a.claimEpoch();
            b.claimEpoch();
            awaitStats(b, st -> st.runs() >= 1);
            long leakedLater = leak(a, uri, 1); // leaked after the sweep that followed the claim
            awaitStats(b, st -> st.swept() >= 1);
            assertFalse(exists(b.bk(), leakedLater), "a periodic sweep deleted it");
            // a ledger of b's own epoch that a reclaim dropped from the manifest but failed to delete
            long dropped = leak(b, uri, 2);
            b.sweeper().deleteLater(dropped);
            awaitStats(b, st -> st.retried() >= 1);
            assertFalse(exists(b.bk(), dropped));
            assertManifestLedgersExist(b);
        }
    }

    /** The ledgers on the cluster tagged for {@code uri}'s page log, with their tags' epochs. */
    private static Map<Long, Long> taggedFor(BookKeeper bk, URI uri) throws Exception {
        String base = PageLogUri.parse(uri).basePath();
        Map<Long, Long> out = new java.util.TreeMap<>();
        BookKeeperAdmin admin = new BookKeeperAdmin(bk);
        try {
            for (Long id : admin.listLedgers()) {
                LedgerTag t;
                try {
                    t = LedgerTag.fromCustomMetadata(bk.getLedgerManager()
                            .readLedgerMetadata(id)
                            .get()
                            .getValue()
                            .getCustomMetadata());
                } catch (java.util.concurrent.ExecutionException gone) {
                    continue; // deleted while we listed
                }
                if (t != null && t.pageLog().equals(base)) {
                    out.put(id, t.epoch());
                }
            }
        } finally {
            admin.close();
        }
        return out;
    }

    @Test
    void anOldWriterRollingWhileTheNextLeaderClaimsLeaksNothingAndLosesNothing() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        java.util.Random rnd = new java.util.Random(seed);
        for (int round = 0; round < 8; round++) {
            try {
                raceOneRound(rnd, "seed " + seed + ", round " + round + ": ");
            } catch (Exception e) {
                throw new AssertionError("seed " + seed + ", round " + round + ": " + e, e);
            }
        }
    }

    private static void raceOneRound(java.util.Random rnd, String where) throws Exception {
        URI uri = uri("sweep-race-loop", "sweepIntervalMs=0");
        try (BookKeeperPageLog a = open(uri, "a");
                BookKeeperPageLog b = open(uri, "b")) {
            a.claimEpoch();
            a.ignoreEpochWatchForTest(); // it keeps rolling until BookKeeper or ZooKeeper stops it
            AtomicReference<Throwable> stopped = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; ; i++) {
                        a.append(1, bytes("r" + i));
                        a.completeCheckpoint(i, 0, bytes("m")); // syncs, publishes, rolls
                    }
                } catch (RuntimeException e) {
                    stopped.set(e);
                }
            });
            writer.start();
            Thread.sleep(rnd.nextInt(60));
            b.claimEpoch();
            writer.join(30_000);
            assertTrue(stopped.get() instanceof StrataException, where + "the old writer stops: " + stopped);
            awaitStats(b, st -> st.runs() >= 1);
            b.sweeper().sweepNow(); // the old writer may have created its last ledger after the first sweep
            List<Long> manifest = b.ledgerIds();
            Map<Long, Long> tagged = taggedFor(b.bk(), uri);
            for (long id : manifest) {
                assertTrue(tagged.containsKey(id), where + "manifest ledger " + id + " exists: " + tagged);
            }
            for (Map.Entry<Long, Long> e : tagged.entrySet()) {
                assertTrue(
                        manifest.contains(e.getKey()) || e.getValue() >= 2,
                        where + "ledger " + e.getKey() + " of epoch " + e.getValue() + " is leaked: manifest "
                                + manifest);
            }
            try (BookKeeperPageLog r = open(uri, "r")) {
                assertEquals(b.lastLsn(), r.lastLsn(), where + "a reader sees the whole log");
                assertEquals(b.readLog(0, 10_000).size(), r.readLog(0, 10_000).size(), where + "and every record");
            }
        }
    }

    @Test
    void aBadSweepIntervalIsRejected() {
        String bad = "bookkeeper://127.0.0.1:1/a?sweepIntervalMs=-1";
        StrataException e = assertThrows(StrataException.class, () -> PageLogUri.parse(URI.create(bad)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(bad), e.getMessage());
        assertEquals(
                0,
                PageLogUri.parse(URI.create("bookkeeper://h:1/a?sweepIntervalMs=0"))
                        .sweepIntervalMs());
    }
}
