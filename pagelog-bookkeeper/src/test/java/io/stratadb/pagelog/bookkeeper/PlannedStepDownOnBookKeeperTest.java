package io.stratadb.pagelog.bookkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planned step-down with {@code failover=auto}: the leader that steps down hands its leadership token over, a
 * watching follower takes over by itself, and the node that stepped down stays out of the race for its back-off
 * ({@code failover_backoff_ms}); if nobody else takes the token, it takes it back when the back-off ends.
 */
@ExtendWith(BookKeeperCluster.Extension.class)
class PlannedStepDownOnBookKeeperTest {
    private static final TableSchema KV = new TableSchema(
            "KV",
            List.of(new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));

    @TempDir
    Path dir;

    private Engine open(URI log, String node, Role role, long backoffMs) {
        return StorageProviders.get("strata")
                .open(EngineConfig.builder()
                        .path(dir.resolve(node))
                        .pageLog(log)
                        .role(role)
                        .nodeId(node)
                        .durability(Durability.FSYNC)
                        .autoPickup(true)
                        .options(Map.of(
                                "checkpoint_interval_ms",
                                "0",
                                "publish_interval_ms",
                                "2",
                                "failover",
                                "auto",
                                "failover_backoff_ms",
                                Long.toString(backoffMs)))
                        .build());
    }

    private static void insert(Engine e, int from, int to, String v) {
        TableHandle t = e.table("KV").orElseThrow();
        try (Session s = e.openSession()) {
            Transaction tx = s.begin();
            for (int i = from; i < to; i++) {
                tx.insert(t, new Object[] {i, v + i});
            }
            tx.commit();
        }
    }

    private static SortedMap<Integer, Object> rows(Engine e) {
        TreeMap<Integer, Object> out = new TreeMap<>();
        Optional<TableHandle> kv = e.table("KV"); // a follower may not have applied the CREATE yet
        if (kv.isEmpty()) {
            return out;
        }
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            try (Cursor c = x.cursor(kv.get(), KeyRange.all())) {
                while (c.next()) {
                    out.put((Integer) c.row()[0], c.row()[1]);
                }
            }
            x.commit();
        }
        return out;
    }

    private static SortedMap<Integer, Object> expected(int from, int to, String v) {
        TreeMap<Integer, Object> m = new TreeMap<>();
        for (int i = from; i < to; i++) {
            m.put(i, v + i);
        }
        return m;
    }

    private static void awaitRows(Engine e, SortedMap<Integer, Object> want) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        SortedMap<Integer, Object> got = rows(e);
        while (!got.equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            got = rows(e);
        }
        assertEquals(want, got, "the node caught up through the shared log");
    }

    private static void awaitRole(Engine e, Role want, long seconds, String why) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (e.nodeState().role() != want && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(want, e.nodeState().role(), why);
    }

    @Test
    void afterAPlannedStepDownAWatchingFollowerTakesOverAndTheOldLeaderDoesNotTakeItBack() throws Exception {
        URI log = BookKeeperCluster.get().freshUri("planned");
        // a's back-off (3 s) is the time b has to take over before a competes again: ample for one ZooKeeper write
        try (Engine a = open(log, "a", Role.LEADER, 3_000);
                Engine b = open(log, "b", Role.FOLLOWER, 1_000)) {
            a.createTable(KV, false);
            insert(a, 0, 100, "a");
            a.checkpoint();
            insert(a, 100, 150, "a"); // only in the log
            awaitRows(b, expected(0, 150, "a"));

            long t0 = System.nanoTime();
            a.stepDown();
            awaitRole(b, Role.LEADER, 20, "the watching follower takes over after the planned step-down");
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            // the build logs at WARN; this line is the measurement quoted in roles.md
            System.out.println("planned hand-over: the follower led " + tookMs + " ms after stepDown() was called");
            assertEquals(Role.FOLLOWER, a.nodeState().role(), "the node that stepped down stays a follower");
            assertEquals(expected(0, 150, "a"), rows(b), "the new leader has every committed row");

            insert(b, 150, 200, "b");
            SortedMap<Integer, Object> all = expected(0, 150, "a");
            all.putAll(expected(150, 200, "b"));
            awaitRows(a, all);
            StrataException refused = assertThrows(StrataException.class, () -> insert(a, 500, 501, "a"));
            assertEquals(ErrorCode.NOT_LEADER, refused.code(), refused.getMessage());

            Thread.sleep(3_500); // past the back-off: the old leader competes once, loses, and keeps following
            assertEquals(Role.FOLLOWER, a.nodeState().role(), "hand-over took " + tookMs + " ms; no bounce back");
            assertEquals(Role.LEADER, b.nodeState().role());
            insert(b, 200, 210, "b");
            all.putAll(expected(200, 210, "b"));
            awaitRows(a, all);
        }
    }

    @Test
    void aLoneAutoNodeThatSteppedDownTakesTheLeadBackAfterItsBackoff() throws Exception {
        URI log = BookKeeperCluster.get().freshUri("lone");
        // a back-off long enough that the step-down's own ZooKeeper write (which it outlasts) cannot use it up
        try (Engine a = open(log, "a", Role.LEADER, 3_000)) {
            a.createTable(KV, false);
            insert(a, 0, 10, "a");
            long t0 = System.nanoTime();
            a.stepDown();
            Thread.sleep(300);
            assertEquals(Role.FOLLOWER, a.nodeState().role(), "inside the back-off the node keeps following");
            awaitRole(a, Role.LEADER, 20, "nobody else leads: the node takes the lead back after the back-off");
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(true, tookMs >= 3_000, "took the lead back after " + tookMs + " ms, inside the back-off");
            insert(a, 10, 20, "a");
            assertEquals(expected(0, 20, "a"), rows(a));
        }
    }
}
