package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.code;
import static io.stratadb.engine.RolesTest.T;
import static io.stratadb.engine.RolesTest.expect;
import static io.stratadb.engine.RolesTest.insert;
import static io.stratadb.engine.RolesTest.renamed;
import static io.stratadb.engine.RolesTest.table;
import static io.stratadb.engine.RolesTest.upsertAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import io.stratadb.api.TxnState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step-down, step-up, fencing and the two seeds about role transitions (001 and 003), with real threads. */
class RoleTransitionsTest {
    @TempDir
    Path dir;

    private Nodes nodes(TimestampMode mode) {
        return new Nodes(dir, mode, Durability.FSYNC);
    }

    private static long ingestKeys(StrataEngine e, String t) {
        return Objects.requireNonNull(e.catalog().byName(t)).tree().size();
    }

    @Test
    void scenario23_stepDownRollsBackWritersAndLeavesEveryTableReadOnly() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            insert(l, "T", 0, 10, "a");
            try (Session w = l.openSession();
                    Session r = l.openSession()) {
                Transaction writer = w.begin();
                writer.upsert(table(l, "T"), new Object[] {100, "uncommitted"});
                Transaction reader = r.begin();
                assertEquals("a", Objects.requireNonNull(reader.get(table(l, "T"), new Object[] {1}))[1]);
                l.stepDown();
                assertEquals(Role.FOLLOWER, l.nodeState().role());
                StrataException e = org.junit.jupiter.api.Assertions.assertThrows(
                        StrataException.class, () -> writer.upsert(table(l, "T"), new Object[] {101, "x"}));
                assertEquals(ErrorCode.TRANSACTION_ROLLED_BACK, e.code());
                assertTrue(e.retryable());
                assertTrue(e.getMessage().contains("stepped down"), e.getMessage());
                // a reader that began as leader keeps its snapshot
                assertEquals("a", Objects.requireNonNull(reader.get(table(l, "T"), new Object[] {2}))[1]);
                reader.commit();
                try (Session s = l.openSession()) {
                    Transaction t = s.begin();
                    assertEquals(ErrorCode.NOT_LEADER, code(() -> t.upsert(table(l, "T"), new Object[] {5, "no"})));
                }
                assertEquals(ErrorCode.NOT_LEADER, code(() -> l.setTimestamp(TimestampKind.STABLE, 1)));
                assertEquals(ErrorCode.NOT_LEADER, code(l::rollbackToStable));
            }
            assertEquals(expect(0, 10, "a"), Nodes.rows(l, "T"), "the uncommitted write never became visible");
        }
    }

    @Test
    void scenario24_stepDownThenUpOnTheSameNodeWritesAgain() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            insert(l, "T", 0, 10, "a");
            long epoch = l.nodeState().epoch();
            l.stepDown();
            assertEquals(ErrorCode.NOT_LEADER, code(() -> insert(l, "T", 10, 11, "no")));
            l.stepUp();
            assertEquals(Role.LEADER, l.nodeState().role());
            assertTrue(l.nodeState().epoch() > epoch, "step-up claims a new epoch");
            insert(l, "T", 10, 20, "b");
            SortedMap<Integer, Object> want = expect(0, 10, "a");
            want.putAll(expect(10, 20, "b"));
            assertEquals(want, Nodes.rows(l, "T"));
            l.checkpoint();
        }
        try (StrataEngine again = n.leader("l")) {
            assertEquals(20, Nodes.rows(again, "T").size(), "and the node reopens with everything");
        }
    }

    @Test
    void scenario25_orphanPagesOfAnUnfinishedCheckpointAreAbandonedAndFollowersIgnoreThem() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = StrataEngine.open(n.config("l", Role.LEADER, false), System::currentTimeMillis, point -> {
                    if (point.equals("catalog") && Boolean.getBoolean("never")) {
                        throw new IllegalStateException("unused");
                    }
                });
                StrataEngine f = n.follower("f")) {
            l.createTable(T, false);
            insert(l, "T", 0, 10, "a");
            long c1 = l.checkpoint().lsn();
            f.pickUpCheckpoint();
            assertEquals(c1, f.nodeState().checkpointLsn());
        }
        // a leader that crashes between its page puts and the completion: emulated with a crash point that throws
        try (StrataEngine l = StrataEngine.open(n.config("l", Role.LEADER, false), System::currentTimeMillis, p -> {
            if (p.equals("catalog")) {
                throw new IllegalStateException("crash before completion");
            }
        })) {
            insert(l, "T", 10, 20, "b");
            RuntimeException crash =
                    org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, l::checkpoint);
            assertTrue(String.valueOf(crash.getMessage()).contains("crash before completion"), crash.toString());
        }
        try (StrataEngine f = n.follower("f")) {
            assertEquals(expect(0, 20, "a").size(), Nodes.rows(f, "T").size(), "the log has every commit");
            f.stepUp(); // abandons any orphan; new page writes must pass the chain check
            insert(f, "T", 20, 30, "c");
            f.checkpoint();
            assertEquals(30, Nodes.rows(f, "T").size());
        }
    }

    @Test
    void scenario26_aNodeWithNoLocalFilesGetsEverythingFromThePageLogAndCanStepUp() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            insert(l, "T", 0, 50, "a");
            l.checkpoint();
            insert(l, "T", 50, 60, "b");
        }
        try (StrataEngine fresh = n.follower("brand-new")) {
            SortedMap<Integer, Object> want = expect(0, 50, "a");
            want.putAll(expect(50, 60, "b"));
            assertEquals(want, Nodes.rows(fresh, "T"));
            fresh.stepUp();
            insert(fresh, "T", 60, 70, "c");
            assertEquals(70, Nodes.rows(fresh, "T").size());
        }
    }

    @Test
    void scenario27_plannedStepDownRollsBackTransactionsThatStraddleIt() {
        Nodes n = nodes(TimestampMode.APPLICATION);
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            upsertAt(l, "T", 0, 10, "a", 10);
            l.setTimestamp(TimestampKind.STABLE, 10);
            l.setTimestamp(TimestampKind.STEP_DOWN, 50);
            upsertAt(l, "T", 10, 20, "before", 40); // commits before the boundary are fine
            try (Session s = l.openSession()) {
                Transaction x = s.begin();
                x.upsert(table(l, "T"), new Object[] {30, "after"});
                StrataException e =
                        org.junit.jupiter.api.Assertions.assertThrows(StrataException.class, () -> x.commit(60, 0));
                assertEquals(ErrorCode.TRANSACTION_ROLLED_BACK, e.code());
                assertTrue(e.getMessage().contains("step-down timestamp 50"), e.getMessage());
                assertEquals(TxnState.ROLLED_BACK, x.state());
            }
            l.stepDown();
            assertEquals(50, l.nodeState().checkpointTimestamp(), "stable moved to the step-down timestamp");
            assertEquals(20, Nodes.rows(l, "T").size());
        }
    }

    @Test
    void scenario28_ingestVersionsCoveredByAPickedUpCheckpointArePrunedOnceNoReaderNeedsThem() throws Exception {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l");
                StrataEngine f = n.follower("f")) {
            l.createTable(T, false);
            insert(l, "T", 0, 100, "a");
            f.catchUp();
            assertEquals(100, ingestKeys(f, "T"));
            try (Session s = f.openSession()) {
                Transaction old = s.begin(); // reads the empty stable set plus ingest
                l.checkpoint();
                f.pickUpCheckpoint();
                Thread.sleep(50); // the applier runs its maintenance; the old reader pins the ingest versions
                assertEquals(100, ingestKeys(f, "T"), "a reader of the older stable set still needs them");
                assertEquals(100, count(f, old));
                old.commit();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ingestKeys(f, "T") != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, ingestKeys(f, "T"), "pruned once the reader is gone");
            assertEquals(expect(0, 100, "a"), Nodes.rows(f, "T"), "and the rows now come from the stable tree");
        }
    }

    private static int count(Engine e, Transaction t) {
        int c = 0;
        try (var cur = t.cursor(table(e, "T"), io.stratadb.api.KeyRange.all())) {
            while (cur.next()) {
                c++;
            }
        }
        return c;
    }

    @Test
    void preparedTransactionsReattachOnTheNewLeader() {
        Nodes n = nodes(TimestampMode.AUTO);
        GlobalTxnId commitMe = TimestampsTest.xid("commit-me");
        GlobalTxnId rollMeBack = TimestampsTest.xid("roll-me-back");
        try (StrataEngine l = n.leader("l");
                StrataEngine f = n.follower("f")) {
            l.createTable(T, false);
            insert(l, "T", 0, 3, "a");
            try (Session s = l.openSession()) {
                Transaction a = s.begin();
                a.upsert(table(l, "T"), new Object[] {1, "prepared-update"});
                a.prepare(0, commitMe);
            }
            try (Session s = l.openSession()) {
                Transaction b = s.begin();
                b.insert(table(l, "T"), new Object[] {50, "prepared-insert"});
                b.prepare(0, rollMeBack);
            }
            f.catchUp();
            assertEquals(
                    ErrorCode.NOT_LEADER,
                    code(() -> f.preparedTransaction(commitMe).orElseThrow().commit()));
            l.stepDown();
            f.stepUp();
            f.preparedTransaction(commitMe).orElseThrow().commit();
            f.preparedTransaction(rollMeBack).orElseThrow().rollback();
            SortedMap<Integer, Object> want = expect(0, 3, "a");
            want.put(1, "prepared-update");
            assertEquals(want, Nodes.rows(f, "T"));
            insert(f, "T", 50, 51, "insertable again"); // seed 004 after the drain
            l.catchUp();
            want.put(50, "insertable again");
            assertEquals(want, Nodes.rows(l, "T"), "the old leader, now a follower, sees the outcomes");
        }
    }

    @Test
    void aFollowerThatMeetsACorruptLogRecordRefusesReadsInsteadOfServingStaleRows() throws Exception {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l");
                StrataEngine f = n.follower("f")) {
            l.createTable(T, false);
            insert(l, "T", 0, 5, "a");
            f.catchUp();
            assertEquals(5, Nodes.rows(f, "T").size());
            long bad = l.pageLog().append(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}); // a commit record, bad checksum
            l.pageLog().sync(bad);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            StrataException seen = null;
            while (seen == null && System.nanoTime() < deadline) {
                try {
                    Nodes.rows(f, "T");
                    Thread.sleep(5);
                } catch (StrataException e) {
                    seen = e;
                }
            }
            if (seen == null) {
                throw new AssertionError("the follower kept serving rows after a corrupt log record");
            }
            assertEquals(ErrorCode.CORRUPTION, seen.code(), seen.toString());
            assertEquals("XX001", seen.code().sqlState());
        }
    }

    @Test
    void aFollowerThatFellBehindTheLeadersReclaimStartsOverFromTheNewestCheckpoint() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l");
                StrataEngine f = n.follower("f")) {
            l.createTable(T, false);
            insert(l, "T", 0, 10, "a");
            f.catchUp();
            f.pauseApplier(); // the follower stalls (a long pause) while the leader goes on
            insert(l, "T", 10, 20, "b");
            try (Session s = l.openSession()) {
                Transaction x = s.begin();
                x.delete(table(l, "T"), new Object[] {3});
                x.commit();
            }
            l.checkpoint();
            insert(l, "T", 20, 30, "c");
            l.checkpoint(); // completes a second checkpoint: the leader may now reclaim the log up to the first
            insert(l, "T", 30, 40, "d");
            f.catchUp();
            assertTrue(f.resyncs() >= 1, "the follower noticed it may have missed reclaimed records");
            assertEquals(Nodes.rows(l, "T"), Nodes.rows(f, "T"));
            assertEquals(Nodes.rows(l, "T"), Nodes.rowsBackwards(f, "T"));
            insert(l, "T", 40, 50, "e");
            f.catchUp();
            assertEquals(Nodes.rows(l, "T"), Nodes.rows(f, "T"), "and it keeps following afterwards");
        }
    }

    // ---------------------------------------------------------------- seed 001

    @Test
    void seed001_aWriteHeldAtTheDangerousPointFindsTheTableReadOnlyAfterStepDown() throws Exception {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            CountDownLatch atDangerousPoint = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            l.setWriteHook(() -> {
                atDangerousPoint.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try (Session s = l.openSession()) {
                    Transaction t = s.begin();
                    t.upsert(table(l, "T"), new Object[] {1, "sneaky"}); // passes the leader check, then waits
                    t.commit();
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            writer.start();
            assertTrue(atDangerousPoint.await(10, TimeUnit.SECONDS));
            l.stepDown(); // completes while the writer is held between its leader check and the tree
            l.setWriteHook(null);
            release.countDown();
            writer.join(10_000);
            Throwable e = outcome.get();
            if (!(e instanceof StrataException se)) {
                throw new AssertionError("expected a StrataException, got " + e);
            }
            assertEquals(ErrorCode.TRANSACTION_ROLLED_BACK, se.code());
            assertTrue(Nodes.rows(l, "T").isEmpty(), "nothing written on the follower");
            assertEquals(ErrorCode.NOT_LEADER, code(() -> insert(l, "T", 2, 3, "no")));
        }
    }

    @Test
    void seed001_stress_threadsWritingDuringRepeatedStepDownsAndUpsNeverWriteOnAFollower() throws Exception {
        Nodes n = nodes(TimestampMode.AUTO);
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        int k = next.getAndIncrement();
                        try (Session s = l.openSession()) {
                            Transaction x = s.begin();
                            x.insert(table(l, "T"), new Object[] {k, "w"});
                            x.commit();
                            acknowledged.add(k);
                        } catch (StrataException e) {
                            if (e.code() != ErrorCode.NOT_LEADER
                                    && e.code() != ErrorCode.TRANSACTION_ROLLED_BACK
                                    && e.code() != ErrorCode.INVALID_STATE) {
                                unexpected.add(e);
                            }
                        }
                    }
                });
                writers.add(t);
                t.start();
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (acknowledged.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(1); // the writers are committing (however slow the machine) before transitions start
            }
            for (int round = 0; round < 8; round++) {
                Thread.sleep(20);
                l.stepDown();
                Thread.sleep(10);
                l.stepUp();
            }
            stop.set(true);
            for (Thread t : writers) {
                t.join(10_000);
            }
            assertTrue(unexpected.isEmpty(), unexpected.toString());
            assertEquals(acknowledged, Nodes.rows(l, "T").keySet(), "exactly the acknowledged commits exist");
            assertFalse(acknowledged.isEmpty(), "the writers committed on the leader");
        }
        try (StrataEngine f = n.follower("check")) {
            assertEquals(acknowledged, Nodes.rows(f, "T").keySet(), "and the shared log has exactly those");
        }
    }

    // ---------------------------------------------------------------- seed 003

    @Test
    void seed003_schemaOperationsDuringRepeatedTransitionsCompleteOrFailWith55000() throws Exception {
        Nodes n = nodes(TimestampMode.AUTO);
        long seed = Long.getLong("seed", System.nanoTime());
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        try (StrataEngine l = n.leader("l");
                StrataEngine f = n.follower("f")) {
            List<Thread> ddl = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Random rnd = new Random(seed + w);
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        String name = "S" + rnd.nextInt(6);
                        try {
                            if (rnd.nextBoolean()) {
                                l.createTable(renamed(name), true);
                            } else {
                                l.dropTable(name, true);
                            }
                        } catch (StrataException e) {
                            if (e.code() == ErrorCode.INVALID_STATE || e.code() == ErrorCode.NOT_LEADER) {
                                refused.incrementAndGet();
                            } else {
                                unexpected.add(e);
                            }
                        }
                    }
                });
                ddl.add(t);
                t.start();
            }
            for (int round = 0; round < 10; round++) {
                Thread.sleep(10);
                l.stepDown();
                l.stepUp();
            }
            stop.set(true);
            for (Thread t : ddl) {
                t.join(10_000);
            }
            assertTrue(unexpected.isEmpty(), "seed " + seed + ": " + unexpected);
            f.catchUp();
            List<String> onLeader = names(l);
            assertEquals(onLeader, names(f), "seed " + seed + ": the follower has exactly the leader's tables");
            for (String name : onLeader) {
                insert(l, name, 0, 1, "usable"); // every table is whole: it takes a row
            }
        }
        try (StrataEngine again = n.follower("again")) {
            assertEquals(
                    names(again).size(),
                    again.tables().size(),
                    "seed " + seed + ": a fresh node rebuilds the same catalogue");
            for (String name : names(again)) {
                assertEquals(1, Nodes.rows(again, name).size(), "seed " + seed);
            }
        }
    }

    private static List<String> names(Engine e) {
        List<String> out = new ArrayList<>();
        e.tables().forEach(t -> out.add(t.name()));
        return out;
    }

    @Test
    void seed003_aTransitionWaitsForARunningSchemaOperationAndNewOnesAreRefused() throws Exception {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l")) {
            l.role().beginSchemaOp("test DDL", () -> "l");
            AtomicReference<Throwable> stepDown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    l.stepDown();
                } catch (Throwable e) {
                    stepDown.set(e);
                }
            });
            t.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!l.role().transitioning() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(l.role().transitioning());
            assertEquals(ErrorCode.INVALID_STATE, code(() -> l.createTable(T, false)), "refused: 55000");
            assertEquals(Role.LEADER, l.nodeState().role(), "the step-down waits for the running operation");
            l.role().endSchemaOp();
            t.join(10_000);
            assertNull(stepDown.get());
            assertEquals(Role.FOLLOWER, l.nodeState().role());
        }
    }

    // ---------------------------------------------------------------- fencing

    @Test
    void fencing_twoWouldBeLeadersRaceAndExactlyOneCanWrite() throws Exception {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine l = n.leader("l")) {
            l.createTable(T, false);
            insert(l, "T", 0, 5, "a");
        }
        try (StrataEngine a = n.follower("a");
                StrataEngine b = n.follower("b")) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (StrataEngine e : List.of(a, b)) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        e.stepUp();
                    } catch (Throwable x) {
                        failures.add(x);
                    }
                });
                ts.add(t);
                t.start();
            }
            go.countDown();
            for (Thread t : ts) {
                t.join(30_000);
            }
            int writable = 0;
            List<ErrorCode> refusals = new ArrayList<>();
            for (StrataEngine e : List.of(a, b)) {
                try {
                    insert(e, "T", 100, 101, e.config().nodeId());
                    writable++;
                } catch (StrataException x) {
                    refusals.add(x.code());
                }
            }
            assertEquals(1, writable, "exactly one node writes; refusals " + refusals + ", failures " + failures);
            assertEquals(List.of(ErrorCode.FENCED), refusals);
        }
    }

    @Test
    void fencing_aDeposedLeaderGetsFencedForEveryWriteAndNothingItWroteAfterwardsIsVisible() {
        Nodes n = nodes(TimestampMode.AUTO);
        try (StrataEngine old = n.leader("old")) {
            old.createTable(T, false);
            insert(old, "T", 0, 5, "a");
            try (StrataEngine f = n.follower("new")) {
                f.stepUp();
                StrataException e = org.junit.jupiter.api.Assertions.assertThrows(
                        StrataException.class, () -> insert(old, "T", 5, 6, "lost"));
                assertEquals(ErrorCode.FENCED, e.code());
                assertEquals("25006", e.code().sqlState());
                assertEquals(ErrorCode.FENCED, code(() -> Nodes.rows(old, "T")), "the deposed node refuses reads");
                assertEquals(ErrorCode.FENCED, code(old::checkpoint));
                assertEquals(ErrorCode.FENCED, code(() -> old.createTable(renamed("X"), false)));
                insert(f, "T", 10, 11, "new");
                SortedMap<Integer, Object> want = expect(0, 5, "a");
                want.put(10, "new");
                assertEquals(want, Nodes.rows(f, "T"));
            }
        }
    }
}
