package io.stratadb.engine.pagelog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.stratadb.api.pagelog.PageLogTableStats;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every page-log backend owes the engine: WiredTiger's PALI scenarios 1-6, fencing, log records
 * and the completion selector. A backend test extends this class and names a fresh, empty page log per test.
 *
 * <p>Reusable from other modules through the engine's test-jar.
 */
public abstract class PageLogContractTest {
    private static final byte[] CKPT = "Checkpoint".getBytes(StandardCharsets.UTF_8);

    private final List<PageLog> opened = new ArrayList<>();
    private @Nullable URI uri;

    /** A URI naming a new, empty page log; called once before each test. */
    protected abstract URI freshUri();

    /**
     * Whether records appended but not confirmed by a sync when another node claimed the epoch may still end up
     * in the log (a replicated backend whose recovery keeps what reached a replica); the backend's {@code
     * FencedException} must then say so. False by default: the fenced writer's unconfirmed records are dropped.
     */
    protected boolean unconfirmedRecordsMaySurviveAClaim() {
        return false;
    }

    /** Opens another instance (node) of the page log under test. */
    protected PageLog openNode(URI logUri, String nodeId) {
        return PageLogProviders.open(logUri, new PageLogOptions(nodeId, true));
    }

    @BeforeEach
    void createLog() {
        uri = freshUri();
    }

    @AfterEach
    void closeAll() {
        for (PageLog l : opened) {
            l.close();
        }
    }

    /** A new instance of this test's page log. */
    protected final PageLog node(String nodeId) {
        URI u = uri;
        if (u == null) {
            throw new IllegalStateException("no log");
        }
        PageLog l = openNode(u, nodeId);
        opened.add(l);
        return l;
    }

    /** A new instance that has claimed the epoch (the leader). */
    protected final PageLog leader(String nodeId) {
        PageLog l = node(nodeId);
        l.claimEpoch();
        return l;
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long[] lsns(List<PageRecord> chain) {
        return chain.stream().mapToLong(PageRecord::lsn).toArray();
    }

    /** Completions hold arrays, so records compare by identity: compare their fields. */
    protected static void assertSameCompletion(CheckpointCompletion expected, CheckpointCompletion actual) {
        assertEquals(expected.lsn(), actual.lsn());
        assertEquals(expected.checkpointTimestamp(), actual.checkpointTimestamp());
        assertEquals(expected.oldestTimestamp(), actual.oldestTimestamp());
        assertEquals(expected.epoch(), actual.epoch());
        assertArrayEquals(expected.metadata(), actual.metadata());
    }

    private static StrataException fails(ErrorCode code, Runnable r) {
        StrataException e = assertThrows(StrataException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    // ---- scenario 1 ----

    @Test
    void apiBasicsScenario1() {
        PageLog log = leader("n1");
        CheckpointCompletion c1 = log.completeCheckpoint(0, 0, CKPT);
        assertSameCompletion(c1, log.completedCheckpoint(0).orElseThrow());
        assertArrayEquals(CKPT, log.completedCheckpoint(0).orElseThrow().metadata());

        PageLogHandle h = log.openHandle(7);
        long f20 = h.put(20, PutArgs.full(0), bytes("full20"));
        long d20a = h.put(20, PutArgs.delta(f20, f20), bytes("d20a"));
        long d20b = h.put(20, PutArgs.delta(d20a, f20), bytes("d20b"));
        long f21 = h.put(21, PutArgs.full(0), bytes("full21"));
        long d21 = h.put(21, PutArgs.delta(f21, f21), bytes("d21"));
        assertTrue(c1.lsn() < f20 && f20 < d20a && d20a < d20b && d20b < f21 && f21 < d21);

        List<PageRecord> chain20 = h.get(20, d20b);
        assertArrayEquals(new long[] {f20, d20a, d20b}, lsns(chain20));
        assertEquals(PageRecord.Kind.FULL, chain20.get(0).kind());
        assertEquals("d20b", new String(chain20.get(2).payload(), StandardCharsets.UTF_8));
        assertArrayEquals(new long[] {f21, d21}, lsns(h.get(21, 0)));

        long disc = h.discard(20, d20b, f20);
        assertTrue(disc > d20b);
        assertEquals(disc, log.lastLsn());
        assertArrayEquals(new long[] {20, 21}, h.pageIds(d21));
        assertArrayEquals(new long[] {21}, h.pageIds(disc));
        assertArrayEquals(new long[] {21}, h.pageIds(0));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.get(20, 0));

        CheckpointCompletion c2 = log.completeCheckpoint(5, 0, CKPT);
        assertEquals(5, c2.checkpointTimestamp());
        assertEquals(c2.lsn(), log.completedCheckpoint(0).orElseThrow().lsn());
        assertEquals(c1.lsn(), log.completedCheckpoint(c1.lsn()).orElseThrow().lsn());
        assertEquals(
                c2.lsn(), log.completedCheckpoint(c1.lsn() + 1).orElseThrow().lsn());
        assertEquals(c2.lsn(), log.completedCheckpoint(c2.lsn()).orElseThrow().lsn());
        assertTrue(log.completedCheckpoint(c2.lsn() + 1).isEmpty());

        long p22 = h.put(22, PutArgs.full(0), bytes("p22"));
        assertArrayEquals(new long[] {21, 22}, h.pageIds(0));
        log.abandonCheckpoint();
        assertArrayEquals(new long[] {21}, h.pageIds(0));
        assertTrue(h.get(22, 0).isEmpty());
        assertEquals(c2.lsn(), log.completedCheckpoint(0).orElseThrow().lsn());
        assertTrue(log.lastLsn() >= p22, "the LSN counter is not lowered by abandon");
        long next = h.put(23, PutArgs.full(0), bytes("p23"));
        assertTrue(next > p22, "LSNs after abandon are above every LSN handed out before");
    }

    // ---- scenario 2 ----

    @Test
    void rejectsBrokenChainsAndWritesNothingScenario2() {
        PageLog log = leader("n1");
        PageLogHandle h = log.openHandle(1);
        long full = h.put(100, PutArgs.full(0), bytes("f"));
        long d1 = h.put(100, PutArgs.delta(full, full), bytes("d1"));
        long last = log.lastLsn();

        StrataException e = fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(100, PutArgs.full(full + 99), bytes("x")));
        assertTrue(e.getMessage().contains("table 1") && e.getMessage().contains("page 100"), e.getMessage());
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(100, PutArgs.full(0), bytes("x")));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(100, PutArgs.delta(d1, d1), bytes("x")));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(100, PutArgs.delta(full - 1, full), bytes("x")));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(100, new PutArgs(full, full, false), bytes("x")));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(101, PutArgs.delta(0, 0), bytes("x")));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(102, PutArgs.full(5), bytes("x")));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.discard(100, d1 + 50, full));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.discard(100, d1, d1));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.discard(103, 0, 0));

        assertEquals(last, log.lastLsn(), "a rejected write consumes no LSN");
        assertArrayEquals(new long[] {full, d1}, lsns(h.get(100, 0)));
        assertArrayEquals(new long[] {100}, h.pageIds(0));
        // a correct full image replaces the chain
        long full2 = h.put(100, PutArgs.full(full), bytes("f2"));
        assertArrayEquals(new long[] {full2}, lsns(h.get(100, 0)));
        assertArrayEquals(new long[] {full, d1}, lsns(h.get(100, d1)));
        long d2 = h.put(100, PutArgs.delta(full2, full2), bytes("d2"));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(100, PutArgs.full(full), bytes("x")));
        assertEquals(d2, log.lastLsn());
    }

    // ---- scenario 3 ----

    @Test
    void fullImageAfterDiscardMustRestartWithBacklinkZeroScenario3() {
        PageLog log = leader("n1");
        PageLogHandle h = log.openHandle(1);
        long full = h.put(200, PutArgs.full(0), bytes("f"));
        long d = h.put(200, PutArgs.delta(full, full), bytes("d"));
        long disc = h.discard(200, d, full);
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(200, PutArgs.full(full), bytes("again")));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(200, PutArgs.delta(disc, full), bytes("again")));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.discard(200, disc, full));
        assertEquals(disc, log.lastLsn());
        long reborn = h.put(200, PutArgs.full(0), bytes("reborn"));
        assertArrayEquals(new long[] {reborn}, lsns(h.get(200, 0)));
        assertArrayEquals(new long[] {full, d}, lsns(h.get(200, d)));
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.get(200, disc));
        assertArrayEquals(new long[] {200}, h.pageIds(0));
        long d2 = h.put(200, PutArgs.delta(reborn, reborn), bytes("d2"));
        assertArrayEquals(new long[] {reborn, d2}, lsns(h.get(200, 0)));
    }

    // ---- scenario 4 ----

    @Test
    void retriedDeltaReplacesTheFirstScenario4() {
        PageLog log = leader("n1");
        PageLogHandle h = log.openHandle(3);
        long full = h.put(300, PutArgs.full(0), bytes("f"));
        long d1 = h.put(300, PutArgs.delta(full, full), bytes("d1"));
        long d2 = h.put(300, PutArgs.delta(d1, full), bytes("d2"));
        long d2again = h.put(300, PutArgs.delta(d1, full), bytes("d2-retry"));
        List<PageRecord> chain = h.get(300, 0);
        assertArrayEquals(new long[] {full, d1, d2again}, lsns(chain));
        assertEquals("d2-retry", new String(chain.get(2).payload(), StandardCharsets.UTF_8));
        assertArrayEquals(new long[] {full, d1, d2}, lsns(h.get(300, d2)), "a read at the old LSN keeps the old delta");
        long d3 = h.put(300, PutArgs.delta(d2again, full), bytes("d3"));
        assertArrayEquals(new long[] {full, d1, d2again, d3}, lsns(h.get(300, 0)));
        // the replaced delta is no longer the chain's tail: following it is refused
        fails(ErrorCode.INVALID_ARGUMENT, () -> h.put(300, PutArgs.delta(d2, full), bytes("x")));
        // a delta retried right after the full image
        long full2 = h.put(301, PutArgs.full(0), bytes("f"));
        h.put(301, PutArgs.delta(full2, full2), bytes("a"));
        long b = h.put(301, PutArgs.delta(full2, full2), bytes("b"));
        assertArrayEquals(new long[] {full2, b}, lsns(h.get(301, 0)));
    }

    // ---- scenario 5 ----

    @Test
    void getAtAnOlderLsnReturnsTheOlderChainScenario5() {
        PageLog log = leader("n1");
        PageLogHandle h = log.openHandle(4);
        log.append(1, bytes("something before"));
        long f1 = h.put(400, PutArgs.full(0), bytes("v1"));
        long d1 = h.put(400, PutArgs.delta(f1, f1), bytes("v1d"));
        long f2 = h.put(400, PutArgs.full(f1), bytes("v2"));
        long d2 = h.put(400, PutArgs.delta(f2, f2), bytes("v2d"));
        assertTrue(h.get(400, f1 - 1).isEmpty());
        assertArrayEquals(new long[] {f1}, lsns(h.get(400, f1)));
        assertArrayEquals(new long[] {f1, d1}, lsns(h.get(400, d1)));
        assertArrayEquals(new long[] {f2}, lsns(h.get(400, f2)));
        assertArrayEquals(new long[] {f2, d2}, lsns(h.get(400, d2)));
        assertArrayEquals(new long[] {f2, d2}, lsns(h.get(400, 0)));
        assertArrayEquals(new long[] {f2, d2}, lsns(h.get(400, d2 + 1000)));
        assertTrue(h.get(401, 0).isEmpty());
        assertTrue(log.openHandle(99).get(400, 0).isEmpty(), "page ids are scoped by table");
        // another node sees the same chains once the writer synced
        log.sync(log.lastLsn());
        PageLog reader = node("reader");
        assertArrayEquals(new long[] {f1, d1}, lsns(reader.openHandle(4).get(400, d1)));
        assertEquals("v2d", new String(reader.openHandle(4).get(400, 0).get(1).payload(), StandardCharsets.UTF_8));
    }

    // ---- scenario 6 ----

    @Test
    void abandonWithNothingToAbandonIsANoOpAndLsnsNeverDecreaseScenario6() {
        PageLog log = leader("n1");
        log.abandonCheckpoint();
        assertEquals(0, log.lastLsn());
        PageLogHandle h = log.openHandle(1);
        long f = h.put(100, PutArgs.full(0), bytes("f"));
        long rec = log.append(1, bytes("commit"));
        CheckpointCompletion c = log.completeCheckpoint(10, 1, CKPT);
        long before = log.lastLsn();
        log.abandonCheckpoint();
        assertEquals(before, log.lastLsn());
        assertArrayEquals(new long[] {f}, lsns(h.get(100, 0)));
        assertSameCompletion(c, log.completedCheckpoint(0).orElseThrow());
        long d = h.put(100, PutArgs.delta(f, f), bytes("d"));
        long rec2 = log.append(1, bytes("commit2"));
        log.abandonCheckpoint();
        assertArrayEquals(new long[] {f}, lsns(h.get(100, 0)), "the page record above the completion is gone");
        assertEquals(
                List.of(rec, rec2),
                log.readLog(0, 10).stream().map(LogRecord::lsn).toList(),
                "log records stay");
        assertTrue(log.lastLsn() >= rec2);
        long d2 = h.put(100, PutArgs.delta(f, f), bytes("d again"));
        assertTrue(d2 > rec2 && d2 > d);
    }

    /**
     * The FailoverTest flake: a leader dies during the database's first checkpoint, after its page records reached
     * the log (a commit's sync flushed them) but before any completion exists. The next leader's abandon must
     * remove them, although there is no completion to abandon down to (LSN 0), so that it can write page 100
     * again as a new page (backlink 0).
     */
    @Test
    void abandonBeforeAnyCompletionRemovesEveryPageRecordForTheNextLeader() {
        PageLog dead = leader("dead-leader");
        PageLogHandle hd = dead.openHandle(1);
        long orphan = hd.put(100, PutArgs.full(0), bytes("orphan of a checkpoint that never completed"));
        long orphanDelta = hd.put(100, PutArgs.delta(orphan, orphan), bytes("orphan delta"));
        long other = dead.openHandle(2).put(100, PutArgs.full(0), bytes("another table's orphan"));
        long commit = dead.append(1, bytes("acknowledged commit"));
        dead.sync(commit);
        assertTrue(dead.completedCheckpoint(0).isEmpty());

        PageLog watcher = node("watcher");
        assertArrayEquals(new long[] {100}, watcher.openHandle(1).pageIds(0), "the orphans are in the log");

        PageLog next = node("next-leader");
        next.claimEpoch(); // the dead leader is fenced; its orphans are still there
        next.abandonCheckpoint();
        for (PageLog view : List.of(next, watcher, node("late-observer"))) {
            assertArrayEquals(new long[0], view.openHandle(1).pageIds(0), "abandon with no completion keeps nothing");
            assertArrayEquals(new long[0], view.openHandle(2).pageIds(0));
            assertTrue(view.openHandle(1).get(100, 0).isEmpty());
            assertTrue(view.openHandle(1).get(100, orphanDelta).isEmpty());
            assertEquals(
                    List.of(commit),
                    view.readLog(0, 10).stream().map(LogRecord::lsn).toList(),
                    "log records stay");
        }
        PageLogHandle hn = next.openHandle(1);
        long fresh = hn.put(100, PutArgs.full(0), bytes("the next leader's first image of page 100"));
        assertTrue(fresh > other && fresh > commit, "LSNs after abandon stay above the orphans'");
        assertArrayEquals(new long[] {fresh}, lsns(hn.get(100, 0)));
        CheckpointCompletion c = next.completeCheckpoint(1, 0, CKPT);
        assertArrayEquals(new long[] {fresh}, lsns(node("after").openHandle(1).get(100, c.lsn())));
    }

    // ---- fencing ----

    @Test
    void claimByAnotherNodeFencesEveryWriteOfTheOldOne() {
        PageLog a = leader("node-a");
        assertEquals(1, a.writerEpoch());
        PageLogHandle ha = a.openHandle(1);
        long f = ha.put(100, PutArgs.full(0), bytes("a1"));
        long r = a.append(1, bytes("a-commit"));
        CheckpointCompletion c = a.completeCheckpoint(1, 0, CKPT);
        a.sync(a.lastLsn());

        PageLog b = node("node-b");
        long eb = b.claimEpoch();
        assertEquals(2, eb);
        assertEquals(2, b.currentEpoch());
        assertEquals("node-b", b.epochOwner().orElseThrow());
        assertEquals(2, a.currentEpoch());
        long lastAtClaim = b.lastLsn();
        assertEquals(c.lsn(), lastAtClaim);

        FencedException fe = assertThrows(FencedException.class, () -> ha.put(100, PutArgs.delta(f, f), bytes("x")));
        assertEquals(ErrorCode.FENCED, fe.code());
        assertEquals(1, fe.writerEpoch());
        assertEquals(2, fe.currentEpoch());
        assertThrows(FencedException.class, () -> ha.put(101, PutArgs.full(0), bytes("x")));
        assertThrows(FencedException.class, () -> ha.discard(100, f, f));
        assertThrows(FencedException.class, () -> a.append(1, bytes("late commit")));
        assertThrows(FencedException.class, () -> a.completeCheckpoint(2, 0, CKPT));
        assertThrows(FencedException.class, a::abandonCheckpoint);

        for (PageLog view : List.of(a, b, node("observer"))) {
            assertEquals(lastAtClaim, view.lastLsn(), "nothing the fenced node tried is visible");
            assertArrayEquals(new long[] {f}, lsns(view.openHandle(1).get(100, 0)));
            assertArrayEquals(new long[] {100}, view.openHandle(1).pageIds(0));
            assertEquals(
                    List.of(r), view.readLog(0, 10).stream().map(LogRecord::lsn).toList());
            assertEquals(c.lsn(), view.completedCheckpoint(0).orElseThrow().lsn());
        }
        long bf = b.openHandle(1).put(100, PutArgs.delta(f, f), bytes("b1"));
        assertTrue(bf > lastAtClaim);
        long br = b.append(1, bytes("b-commit"));
        b.sync(br);
        assertEquals(2, b.completeCheckpoint(3, 0, CKPT).epoch());
        // the old node can take the lead back by claiming again
        assertEquals(3, a.claimEpoch());
        assertThrows(FencedException.class, () -> b.append(1, bytes("x")));
        assertTrue(a.append(1, bytes("a again")) > br);
    }

    @Test
    void anAppendNotYetSyncedAtTheClaimIsEitherDurableAndVisibleOrFenced() {
        PageLog a = leader("node-a");
        long first = a.append(1, bytes("in flight 1"));
        long second = a.append(1, bytes("in flight 2"));
        PageLog b = node("node-b");
        b.claimEpoch();
        // sync the later one first: a backend that drops both must not then report the earlier one durable
        boolean secondSynced = syncs(a, second);
        boolean firstSynced = syncs(a, first);
        List<Long> seen = b.readLog(0, 10).stream().map(LogRecord::lsn).toList();
        List<Long> acked = new ArrayList<>();
        if (firstSynced) {
            acked.add(first);
        }
        if (secondSynced) {
            acked.add(second);
        }
        if (unconfirmedRecordsMaySurviveAClaim()) {
            // every confirmed record is there, and what is there is a prefix of what was appended (no gap)
            assertTrue(seen.containsAll(acked), "a record whose sync returned is lost: acked " + acked + ", " + seen);
            assertTrue(
                    seen.equals(List.of()) || seen.equals(List.of(first)) || seen.equals(List.of(first, second)),
                    "not a prefix of the appended records: " + seen);
            if (!secondSynced) {
                FencedException f = assertThrows(FencedException.class, () -> a.sync(second));
                assertTrue(f.unconfirmedRecordsMayBeDurable(), "the fencing must say the outcome is unknown");
            }
        } else {
            assertEquals(acked, seen, "exactly the records whose sync returned are in the log");
            if (!secondSynced) {
                FencedException f = assertThrows(FencedException.class, () -> a.sync(second));
                assertFalse(f.unconfirmedRecordsMayBeDurable(), "the dropped records are in no log");
            }
        }
        long next = b.append(1, bytes("b"));
        assertTrue(next > b.lastLsn() - 1 && (acked.isEmpty() || next > second));
    }

    private static boolean syncs(PageLog log, long lsn) {
        try {
            log.sync(lsn);
            return true;
        } catch (FencedException e) {
            return false;
        }
    }

    @Test
    void aPutNotYetSyncedAtTheClaimIsVisibleToEveryoneOrToNoOne() {
        PageLog a = leader("node-a");
        PageLogHandle ha = a.openHandle(1);
        long kept = ha.put(100, PutArgs.full(0), bytes("synced"));
        a.sync(a.lastLsn());
        long f = ha.put(101, PutArgs.full(0), bytes("maybe"));
        long d = ha.put(100, PutArgs.delta(kept, kept), bytes("maybe too"));
        assertArrayEquals(new long[] {f}, lsns(ha.get(101, 0)), "the writer reads its own put at once");
        assertArrayEquals(new long[] {kept, d}, lsns(ha.get(100, 0)));
        PageLog b = node("node-b");
        b.claimEpoch();
        PageLogHandle hb = b.openHandle(1);
        List<Long> in101 = lsns(hb.get(101, 0)).length == 0 ? List.of() : List.of(f);
        for (PageLog view : List.of(a, b, node("observer"))) {
            PageLogHandle h = view.openHandle(1);
            assertEquals(in101, lsns(h.get(101, 0)).length == 0 ? List.of() : List.of(f), view.toString());
            assertEquals(in101.isEmpty() ? 1 : 2, h.get(100, 0).size(), view.toString());
            assertArrayEquals(in101.isEmpty() ? new long[] {100} : new long[] {100, 101}, h.pageIds(0));
        }
        // the new leader continues from what it sees
        long next = in101.isEmpty()
                ? hb.put(101, PutArgs.full(0), bytes("b"))
                : hb.put(101, PutArgs.delta(f, f), bytes("b"));
        b.sync(b.lastLsn());
        assertEquals(lsns(hb.get(101, 0))[lsns(hb.get(101, 0)).length - 1], next);
        assertArrayEquals(lsns(hb.get(101, 0)), lsns(a.openHandle(1).get(101, 0)));
    }

    @Test
    void writesWithoutAClaimedEpochAreRefused() {
        PageLog log = node("n1");
        assertEquals(0, log.writerEpoch());
        fails(ErrorCode.INVALID_STATE, () -> log.append(1, bytes("x")));
        fails(ErrorCode.INVALID_STATE, () -> log.openHandle(1).put(100, PutArgs.full(0), bytes("x")));
        assertEquals(0, log.lastLsn());
    }

    @Test
    void closedInstanceRefusesCalls() {
        PageLog log = leader("n1");
        log.append(1, bytes("x"));
        log.close();
        fails(ErrorCode.CLOSED, () -> log.append(1, bytes("x")));
        fails(ErrorCode.CLOSED, log::lastLsn);
        PageLog other = node("n2");
        assertEquals(1, other.readLog(0, 10).size(), "closing one instance leaves the log to the others");
    }

    // ---- log records ----

    @Test
    void logRecordsAreReadBackInLsnOrder() {
        PageLog log = leader("n1");
        PageLogHandle h = log.openHandle(1);
        List<Long> expected = new ArrayList<>();
        long full = 0;
        for (int i = 0; i < 50; i++) {
            expected.add(log.append(i % 3, bytes("rec" + i)));
            if (i % 10 == 0) {
                full = h.put(100 + i, PutArgs.full(0), bytes("page"));
            }
        }
        assertTrue(full > 0);
        log.sync(log.lastLsn());
        List<LogRecord> all = log.readLog(0, 1000);
        assertEquals(expected, all.stream().map(LogRecord::lsn).toList());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i % 3, all.get(i).type());
            assertEquals("rec" + i, new String(all.get(i).payload(), StandardCharsets.UTF_8));
        }
        assertEquals(
                expected.subList(0, 7),
                log.readLog(0, 7).stream().map(LogRecord::lsn).toList());
        assertEquals(
                expected.subList(21, 26),
                log.readLog(expected.get(20), 5).stream().map(LogRecord::lsn).toList());
        assertTrue(log.readLog(log.lastLsn(), 5).isEmpty());
        PageLog follower = node("f");
        assertEquals(
                expected, follower.readLog(0, 1000).stream().map(LogRecord::lsn).toList());
        fails(ErrorCode.INVALID_ARGUMENT, () -> log.readLog(0, 0));
    }

    @Test
    void concurrentWritersGetUniqueIncreasingLsns() throws Exception {
        PageLog log = leader("n1");
        int threads = 4;
        int each = 200;
        ConcurrentLinkedQueue<Long> all = new ConcurrentLinkedQueue<>();
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    PageLogHandle h = log.openHandle(10 + id);
                    long prevFull = 0;
                    long prev = 0;
                    for (int i = 0; i < each; i++) {
                        long lsn = log.append(id, bytes("t" + id + "-" + i));
                        assertTrue(lsn > prev);
                        prev = lsn;
                        log.sync(lsn);
                        all.add(lsn);
                        if (i % 20 == 0) {
                            prevFull = h.put(100, PutArgs.full(prevFull), bytes("p" + i));
                            all.add(prevFull);
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        Throwable f = failure.get();
        if (f != null) {
            throw new AssertionError(f);
        }
        Set<Long> unique = new HashSet<>(all);
        assertEquals(all.size(), unique.size(), "LSNs are unique");
        assertEquals(threads * each + threads * (each / 20), all.size());
        assertEquals(threads * each, log.readLog(0, 100_000).size());
        assertEquals(unique.stream().mapToLong(Long::longValue).max().orElseThrow(), log.lastLsn());
    }

    // ---- completions ----

    @Test
    void completionSelectorRules() {
        PageLog log = leader("n1");
        assertTrue(log.completedCheckpoint(0).isEmpty());
        assertTrue(log.completedCheckpoints().isEmpty());
        log.append(1, bytes("x"));
        CheckpointCompletion c1 = log.completeCheckpoint(10, 5, bytes("m1"));
        log.append(1, bytes("y"));
        log.append(1, bytes("z"));
        CheckpointCompletion c2 = log.completeCheckpoint(20, 6, bytes("m2"));
        CheckpointCompletion c3 = log.completeCheckpoint(30, 7, bytes("m3"));
        assertSameCompletion(c3, log.completedCheckpoint(0).orElseThrow());
        assertEquals(c1.lsn(), log.completedCheckpoint(1).orElseThrow().lsn());
        assertEquals(c1.lsn(), log.completedCheckpoint(c1.lsn()).orElseThrow().lsn());
        assertEquals(
                c2.lsn(), log.completedCheckpoint(c1.lsn() + 1).orElseThrow().lsn());
        assertEquals(c2.lsn(), log.completedCheckpoint(c2.lsn()).orElseThrow().lsn());
        assertEquals(c3.lsn(), log.completedCheckpoint(c3.lsn()).orElseThrow().lsn());
        assertTrue(log.completedCheckpoint(c3.lsn() + 1).isEmpty());
        CheckpointCompletion read = log.completedCheckpoint(c2.lsn()).orElseThrow();
        assertEquals(20, read.checkpointTimestamp());
        assertEquals(6, read.oldestTimestamp());
        assertEquals(1, read.epoch());
        assertArrayEquals(bytes("m2"), read.metadata());
        assertEquals(
                List.of(c1.lsn(), c2.lsn(), c3.lsn()),
                log.completedCheckpoints().stream()
                        .map(CheckpointCompletion::lsn)
                        .toList());
        fails(ErrorCode.INVALID_ARGUMENT, () -> log.completedCheckpoint(-1));
        assertEquals(
                c3.lsn(), node("other").completedCheckpoint(0).orElseThrow().lsn());
    }

    // ---- reclaim and stats ----

    @Test
    void reclaimKeepsEverythingAReadAtTheCheckpointNeeds() {
        PageLog log = leader("n1");
        PageLogHandle h = log.openHandle(1);
        long f1 = h.put(100, PutArgs.full(0), bytes("v1"));
        long d1 = h.put(100, PutArgs.delta(f1, f1), bytes("v1d"));
        long f2 = h.put(100, PutArgs.full(f1), bytes("v2"));
        long d2 = h.put(100, PutArgs.delta(f2, f2), bytes("v2d"));
        long g = h.put(101, PutArgs.full(0), bytes("g"));
        long gd = h.discard(101, g, g);
        long r1 = log.append(1, bytes("old commit"));
        CheckpointCompletion c1 = log.completeCheckpoint(1, 0, CKPT);
        long d3 = h.put(100, PutArgs.delta(d2, f2), bytes("v2d2"));
        long r2 = log.append(1, bytes("new commit"));
        CheckpointCompletion c2 = log.completeCheckpoint(2, 0, CKPT);
        assertTrue(d1 < gd && r1 < c1.lsn());

        fails(ErrorCode.INVALID_ARGUMENT, () -> log.reclaim(c1.lsn() + 1));
        log.reclaim(c1.lsn());
        assertArrayEquals(new long[] {f2, d2}, lsns(h.get(100, c1.lsn())));
        assertArrayEquals(new long[] {f2, d2, d3}, lsns(h.get(100, 0)));
        assertEquals(
                List.of(r2), log.readLog(0, 10).stream().map(LogRecord::lsn).toList());
        assertEquals(
                List.of(c1.lsn(), c2.lsn()),
                log.completedCheckpoints().stream()
                        .map(CheckpointCompletion::lsn)
                        .toList());
        PageLogTableStats s = log.stats().get(0);
        assertEquals(new PageLogTableStats(1, 1, 1, 2, 0, 2 + 3 + 4), s);
        // writes continue with the retained chain
        long f3 = h.put(100, PutArgs.full(f2), bytes("v3"));
        assertArrayEquals(new long[] {f3}, lsns(h.get(100, 0)));
        long g2 = h.put(101, PutArgs.full(0), bytes("g again"));
        assertArrayEquals(new long[] {g2}, lsns(h.get(101, 0)));
    }

    @Test
    void statsCountRecordsPerTable() {
        PageLog log = leader("n1");
        PageLogHandle h1 = log.openHandle(1);
        PageLogHandle h2 = log.openHandle(2);
        long a = h1.put(100, PutArgs.full(0), bytes("aaaa"));
        h1.put(100, PutArgs.delta(a, a), bytes("bb"));
        long c = h1.put(101, PutArgs.full(0), bytes("c"));
        h1.discard(101, c, c);
        h2.put(100, PutArgs.full(0), bytes("12345678"));
        log.sync(log.lastLsn());
        for (PageLog view : List.of(log, node("reader"))) {
            List<PageLogTableStats> stats = view.stats();
            assertEquals(
                    List.of(new PageLogTableStats(1, 1, 2, 1, 1, 7), new PageLogTableStats(2, 1, 1, 0, 0, 8)), stats);
        }
    }
}
