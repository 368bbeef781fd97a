package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.ACCOUNTS;
import static io.stratadb.engine.EngineBasicsTest.code;
import static io.stratadb.engine.EngineBasicsTest.must;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionOptions;
import io.stratadb.api.TxnState;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.engine.log.RecordType;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery from the commit log: committed data, prepared transactions, DDL and timestamps come back. */
class RecoveryTest {
    @TempDir
    Path dir;

    private EngineConfig fileConfig(TimestampMode mode) {
        return EngineConfig.builder().path(dir).timestamps(mode).build();
    }

    private static TableHandle table(Engine e, String name) {
        return e.table(name).orElseThrow();
    }

    @Test
    void committedDataPreparedTransactionsAndTablesSurviveAReopen() {
        GlobalTxnId xid = TimestampsTest.xid("recover-me");
        try (Engine e = StrataEngine.open(fileConfig(TimestampMode.APPLICATION))) {
            TableHandle t = e.createTable(ACCOUNTS, false);
            e.createTable(TimestampsTest.KV, false);
            e.dropTable("KV", false);
            try (Session s = e.openSession()) {
                Transaction a = s.begin();
                for (int i = 0; i < 50; i++) {
                    a.insert(t, new Object[] {i, "n" + i, (long) i});
                }
                a.commit(10, 0);
                Transaction b = s.begin();
                b.delete(t, new Object[] {3});
                b.update(t, new Object[] {4, "four", 4L});
                long sp = b.savepoint();
                b.delete(t, new Object[] {5});
                b.rollbackTo(sp);
                b.commit(20, 0);
                Transaction c = s.begin();
                c.delete(t, new Object[] {6});
                c.rollback();
                Transaction p = s.begin();
                p.update(t, new Object[] {7, "prepared", 7L});
                p.insert(t, new Object[] {100, "new", 0L});
                p.prepare(30, xid);
            }
            e.setTimestamp(TimestampKind.STABLE, 25);
            e.setTimestamp(TimestampKind.OLDEST, 5);
        }
        try (Engine e = StrataEngine.open(fileConfig(TimestampMode.APPLICATION))) {
            assertEquals(
                    List.of("ACCOUNTS"), e.tables().stream().map(h -> h.name()).toList());
            assertEquals(25, e.timestamps().stable());
            assertEquals(5, e.timestamps().oldest());
            TableHandle t = table(e, "ACCOUNTS");
            try (Session s = e.openSession()) {
                Transaction r = s.begin(new TransactionOptions(0, true, false));
                assertNull(r.get(t, new Object[] {3}));
                assertArrayEquals(new Object[] {4, "four", 4L}, r.get(t, new Object[] {4}));
                assertArrayEquals(new Object[] {5, "n5", 5L}, r.get(t, new Object[] {5}));
                assertArrayEquals(new Object[] {6, "n6", 6L}, r.get(t, new Object[] {6}));
                assertArrayEquals(new Object[] {7, "n7", 7L}, r.get(t, new Object[] {7}));
                r.commit();
                Transaction at15 = s.begin(TransactionOptions.defaults().atTimestamp(15));
                assertArrayEquals(new Object[] {3, "n3", 3L}, at15.get(t, new Object[] {3}), "history kept");
                at15.commit();
                assertEquals(1, e.transactions().size());
                assertEquals(TxnState.PREPARED, e.transactions().get(0).state());
                Transaction w = s.begin();
                assertEquals(ErrorCode.PREPARE_CONFLICT, code(() -> w.get(t, new Object[] {7})));
                Transaction p = e.preparedTransaction(xid).orElseThrow();
                assertEquals(TxnState.PREPARED, p.state());
                p.commit(30, 31);
            }
        }
        try (Engine e = StrataEngine.open(fileConfig(TimestampMode.APPLICATION))) {
            TableHandle t = table(e, "ACCOUNTS");
            assertTrue(e.transactions().isEmpty());
            assertTrue(e.preparedTransaction(xid).isEmpty());
            try (Session s = e.openSession()) {
                Transaction r = s.begin();
                assertEquals("prepared", must(r.get(t, new Object[] {7}))[1]);
                assertEquals("new", must(r.get(t, new Object[] {100}))[1]);
                r.insert(t, new Object[] {200, "after restart", 1L});
                r.commit(40, 0);
            }
        }
    }

    @Test
    void preparedInsertRolledBackAfterRestartStaysAbsent() {
        GlobalTxnId xid = TimestampsTest.xid("rb");
        try (Engine e = StrataEngine.open(fileConfig(TimestampMode.APPLICATION))) {
            TableHandle t = e.createTable(ACCOUNTS, false);
            try (Session s = e.openSession()) {
                Transaction p = s.begin();
                p.insert(t, new Object[] {1, "p", 1L});
                p.prepare(100, xid);
            }
        }
        try (Engine e = StrataEngine.open(fileConfig(TimestampMode.APPLICATION))) {
            e.preparedTransaction(xid).orElseThrow().rollback();
        }
        try (Engine e = StrataEngine.open(fileConfig(TimestampMode.APPLICATION));
                Session s = e.openSession()) {
            TableHandle t = table(e, "ACCOUNTS");
            for (long ts : new long[] {0, 100, 200}) {
                Transaction r = s.begin(TransactionOptions.defaults().atTimestamp(ts));
                assertNull(r.get(t, new Object[] {1}), "absent at " + ts);
                r.commit();
            }
            Transaction w = s.begin();
            w.insert(t, new Object[] {1, "later", 2L});
            w.commit(150, 0);
        }
    }

    @Test
    void rollbackToStableIsDurable() {
        try (Engine e = StrataEngine.open(fileConfig(TimestampMode.APPLICATION));
                Session s = e.openSession()) {
            TableHandle t = e.createTable(ACCOUNTS, false);
            Transaction a = s.begin();
            a.insert(t, new Object[] {1, "stable", 1L});
            a.commit(10, 0);
            Transaction b = s.begin();
            b.insert(t, new Object[] {2, "unstable", 2L});
            b.commit(20, 0);
            e.setTimestamp(TimestampKind.STABLE, 10);
            e.rollbackToStable();
        }
        try (Engine e = StrataEngine.open(fileConfig(TimestampMode.APPLICATION));
                Session s = e.openSession()) {
            Transaction r = s.begin();
            TableHandle t = table(e, "ACCOUNTS");
            assertEquals("stable", must(r.get(t, new Object[] {1}))[1]);
            assertNull(r.get(t, new Object[] {2}));
        }
    }

    @Test
    void theDirectoryIsLockedWhileOpen() {
        Engine e = StrataEngine.open(fileConfig(TimestampMode.AUTO));
        assertEquals(ErrorCode.DATABASE_LOCKED, code(() -> StrataEngine.open(fileConfig(TimestampMode.AUTO))));
        e.close();
        StrataEngine.open(fileConfig(TimestampMode.AUTO)).close();
    }

    @Test
    void aCorruptLogRecordPayloadFailsRecoveryWithXX001() {
        URI uri = URI.create("memory:corrupt-" + System.nanoTime());
        try (PageLog log = PageLogProviders.open(uri, new PageLogOptions("n", false))) {
            log.claimEpoch();
            log.append(RecordType.COMMIT.code(), new byte[] {0x53, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0});
            log.sync(log.lastLsn());
        }
        EngineConfig cfg = EngineConfig.builder().pageLog(uri).build();
        assertEquals(ErrorCode.CORRUPTION, code(() -> StrataEngine.open(cfg)));
    }

    @Test
    void concurrentDurableCommitsShareFlushes() throws Exception {
        EngineConfig cfg =
                EngineConfig.builder().path(dir).durability(Durability.FSYNC).build();
        try (StrataEngine e = StrataEngine.open(cfg)) {
            TableHandle t = e.createTable(ACCOUNTS, false);
            long syncsBefore = e.syncCount();
            int threads = 8;
            int perThread = 100;
            AtomicInteger ids = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                ts.add(new Thread(() -> {
                    try (Session s = e.openSession()) {
                        for (int n = 0; n < perThread; n++) {
                            Transaction x = s.begin();
                            x.insert(t, new Object[] {ids.incrementAndGet(), "g", 0L});
                            x.commit();
                        }
                    }
                }));
            }
            long start = System.nanoTime();
            ts.forEach(Thread::start);
            for (Thread th : ts) {
                th.join();
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            long syncs = e.syncCount() - syncsBefore;
            int commits = threads * perThread;
            org.slf4j.LoggerFactory.getLogger(RecoveryTest.class)
                    .warn("group commit: {} durable commits in {} ms with {} flushes", commits, ms, syncs);
            assertTrue(syncs < commits, "flushes " + syncs + " should be shared by " + commits + " commits");
            assertTrue(e.timestamps().stable() > 0, "AUTO mode advances stable after durable commits");
        }
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            Transaction r = s.begin();
            int n = 0;
            var c = r.cursor(table(e, "ACCOUNTS"), io.stratadb.api.KeyRange.all());
            while (c.next()) {
                n++;
            }
            assertEquals(800, n);
        }
    }

    private List<Integer> writeTwentyCommits() {
        EngineConfig cfg =
                EngineConfig.builder().path(dir).durability(Durability.FSYNC).build();
        try (Engine e = StrataEngine.open(cfg);
                Session s = e.openSession()) {
            TableHandle t = e.createTable(ACCOUNTS, false);
            for (int i = 0; i < 20; i++) {
                Transaction x = s.begin();
                x.insert(t, new Object[] {i, "row" + i, (long) i});
                x.commit();
            }
        }
        return java.util.stream.IntStream.range(0, 20).boxed().toList();
    }

    private List<Integer> ids() {
        try (Engine e = StrataEngine.open(EngineConfig.builder().path(dir).build());
                Session s = e.openSession()) {
            Transaction r = s.begin();
            List<Integer> out = new ArrayList<>();
            var c = r.cursor(table(e, "ACCOUNTS"), io.stratadb.api.KeyRange.all());
            while (c.next()) {
                out.add((Integer) c.row()[0]);
            }
            return out;
        }
    }

    private Path lastSegment() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir.resolve("pagelog"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
    }

    @Test
    void aTornLastRecordIsCutOffAndEverythingBeforeItRecovers() throws Exception {
        List<Integer> all = writeTwentyCommits();
        Path seg = lastSegment();
        long size = java.nio.file.Files.size(seg);
        try (var ch = java.nio.channels.FileChannel.open(seg, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 3); // the last commit record loses its end, as in a crash mid-write
        }
        assertEquals(all.subList(0, 19), ids(), "the torn last commit is dropped, the rest is intact");
        try (Engine e = StrataEngine.open(EngineConfig.builder().path(dir).build());
                Session s = e.openSession()) {
            Transaction x = s.begin();
            x.insert(table(e, "ACCOUNTS"), new Object[] {19, "again", 0L});
            x.commit();
        }
        assertEquals(all, ids(), "the log continues after the cut tail");
    }

    @Test
    void damageBeforeTheTailIsCorruption() throws Exception {
        writeTwentyCommits();
        Path seg = lastSegment();
        byte[] bytes = java.nio.file.Files.readAllBytes(seg);
        bytes[bytes.length / 3] ^= 0x40;
        java.nio.file.Files.write(seg, bytes);
        assertEquals(
                ErrorCode.CORRUPTION,
                code(() -> StrataEngine.open(EngineConfig.builder().path(dir).build())));
    }
}
