package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.ACCOUNTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.Transaction;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed fsync of the commit log fails the engine for good (as PostgreSQL does): the committer is not told it
 * succeeded, every later operation fails with IO_ERROR naming the failure, close works, and a reopen recovers
 * what is on disk. The failure is injected through the page-log SPI ({@link FaultyPageLog}).
 */
class FsyncFailureTest {
    @TempDir
    Path dir;

    private URI faultyUri() {
        return faultyUri(dir);
    }

    private EngineConfig config(URI pageLog) {
        return config(dir, pageLog);
    }

    /** The {@link FaultyPageLogProvider} URI of the page log in {@code dir}. */
    static URI faultyUri(Path dir) {
        return URI.create(
                "faulty:" + dir.resolve("pagelog").toAbsolutePath().toUri().getPath());
    }

    /** A durable database in {@code dir} on {@code pageLog}, without background checkpoints. */
    static EngineConfig config(Path dir, URI pageLog) {
        return EngineConfig.builder()
                .path(dir)
                .pageLog(pageLog)
                .durability(Durability.FSYNC)
                .options(Map.of("checkpoint_interval_ms", "0"))
                .build();
    }

    private EngineConfig plainConfig() {
        return config(dir.resolve("pagelog").toAbsolutePath().toUri());
    }

    /** Asserts IO_ERROR whose message names the injected failure. */
    private static void assertFailedEngine(Executable op) {
        StrataException e = assertThrows(StrataException.class, op);
        assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("injected fsync failure"), e.getMessage());
    }

    private static void insert(Session s, TableHandle t, int... ids) {
        try (Transaction tx = s.begin()) {
            for (int id : ids) {
                tx.insert(t, new Object[] {id, "n" + id, (long) id});
            }
            tx.commit();
        }
    }

    @Test
    void aFailedFsyncFailsTheEngineAndAReopenRecoversWhatIsOnDisk() {
        URI uri = faultyUri();
        Engine e = StrataEngine.open(config(uri));
        FaultyPageLog log = FaultyPageLogProvider.last(uri);
        TableHandle t = e.createTable(ACCOUNTS, false);
        Session s = e.openSession();
        for (int i = 0; i < 10; i++) {
            insert(s, t, i);
        }
        Session other = e.openSession();
        Transaction reader = other.begin();
        assertNotNull(reader.get(t, new Object[] {3}));
        Session third = e.openSession();
        Transaction writer = third.begin();
        writer.insert(t, new Object[] {200, "before", 200L});

        log.failSyncs();
        Transaction failing = s.begin();
        failing.insert(t, new Object[] {100, "a", 100L});
        failing.insert(t, new Object[] {101, "b", 101L});
        assertFailedEngine(failing::commit); // the committer is not told its commit succeeded
        int appends = log.appends();

        // every later operation fails with IO_ERROR naming the first failure
        assertFailedEngine(() -> reader.get(t, new Object[] {100}));
        assertFailedEngine(() -> reader.get(t, new Object[] {3}));
        assertFailedEngine(() -> reader.cursor(t, KeyRange.all()));
        assertFailedEngine(() -> writer.insert(t, new Object[] {201, "x", 1L}));
        assertFailedEngine(writer::commit);
        assertFailedEngine(() -> s.begin());
        assertFailedEngine(e::openSession);
        assertFailedEngine(() -> e.createTable(EngineBasicsTest.ACCOUNTS, true));
        assertFailedEngine(e::checkpoint);
        assertFailedEngine(e::timestamps);
        assertEquals(appends, log.appends(), "no log record reaches the disk after the failure");
        assertEquals(1, log.failedSyncs(), "a failed fsync is never retried");

        e.close(); // close still works, and does not flush again
        assertEquals(1, log.failedSyncs());
        assertEquals(
                ErrorCode.CLOSED,
                assertThrows(StrataException.class, e::openSession).code());

        try (Engine r = StrataEngine.open(plainConfig());
                Session rs = r.openSession();
                Transaction tx = rs.begin()) {
            TableHandle rt = r.table("ACCOUNTS").orElseThrow();
            for (int i = 0; i < 10; i++) {
                assertNotNull(tx.get(rt, new Object[] {i}), "acknowledged commit " + i + " is lost");
            }
            // the injected disk lost the failed commit's record, so a reopen must not show it
            assertNull(tx.get(rt, new Object[] {100}), "a commit whose flush failed is back without its record");
            assertNull(tx.get(rt, new Object[] {101}), "a commit whose flush failed is back without its record");
            assertNull(tx.get(rt, new Object[] {200}), "a transaction that never committed is there");
            try (Session more = r.openSession()) {
                insert(more, rt, 300); // the reopened engine works
            }
        }
    }

    /**
     * Four committers share flushes when the disk fails; the injected disk loses every record appended from
     * then on, so a committer acknowledged for such a record (a parked waiter told that someone else's failed
     * flush covered it, say) would be caught by the reopen.
     */
    @Test
    void concurrentCommittersAllGetIoErrorAndEveryAcknowledgedCommitSurvives() throws Exception {
        URI uri = faultyUri();
        Engine e = StrataEngine.open(config(uri));
        FaultyPageLog log = FaultyPageLogProvider.last(uri);
        TableHandle t = e.createTable(ACCOUNTS, false);
        int threads = 4;
        ConcurrentLinkedQueue<Integer> acked = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger failedWithIoError = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int base = w * 1_000_000;
            Thread th = new Thread(() -> {
                try (Session s = e.openSession()) {
                    for (int i = 0; ; i++) {
                        int id = base + i;
                        try {
                            insert(s, t, id, id + 500_000);
                            acked.add(id);
                        } catch (StrataException ex) {
                            if (ex.code() == ErrorCode.IO_ERROR) {
                                failedWithIoError.incrementAndGet();
                            } else {
                                unexpected.add(ex);
                            }
                            return;
                        }
                    }
                } catch (StrataException ex) {
                    if (ex.code() != ErrorCode.IO_ERROR) {
                        unexpected.add(ex);
                    }
                } catch (RuntimeException | Error ex) {
                    unexpected.add(ex);
                }
            });
            ts.add(th);
            th.start();
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (acked.size() < 200 && unexpected.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(unexpected.isEmpty(), "unexpected failures before the fault: " + unexpected);
        assertTrue(acked.size() >= 200, "the committers made no progress");
        log.failSyncs();
        for (Thread th : ts) {
            th.join(30_000);
            assertTrue(!th.isAlive(), "a committer hangs after the failure");
        }
        assertTrue(unexpected.isEmpty(), "unexpected failures: " + unexpected);
        assertEquals(threads, failedWithIoError.get(), "every committer ends with IO_ERROR");
        e.close();

        try (Engine r = StrataEngine.open(plainConfig());
                Session rs = r.openSession();
                Transaction tx = rs.begin()) {
            TableHandle rt = r.table("ACCOUNTS").orElseThrow();
            for (int id : acked) {
                assertNotNull(tx.get(rt, new Object[] {id}), "acknowledged commit " + id + " is lost");
                assertNotNull(tx.get(rt, new Object[] {id + 500_000}), "acknowledged commit " + id + " is half");
            }
        }
    }
}
