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
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's own roles on {@code bookkeeper:}: a follower tails the leader through the shared log, steps up
 * through the engine's normal step-up (which claims the epoch), and the old leader is fenced.
 */
@ExtendWith(BookKeeperCluster.Extension.class)
class FailoverOnBookKeeperTest {
    private static final TableSchema KV = new TableSchema(
            "KV",
            List.of(new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));

    @TempDir
    Path dir;

    private Engine open(URI log, String node, Role role) {
        return StorageProviders.get("strata")
                .open(EngineConfig.builder()
                        .path(dir.resolve(node))
                        .pageLog(log)
                        .role(role)
                        .nodeId(node)
                        .durability(Durability.FSYNC)
                        .autoPickup(true)
                        .options(Map.of("checkpoint_interval_ms", "0", "publish_interval_ms", "2"))
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
        if (e.table("KV").isEmpty()) {
            return out;
        }
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            try (Cursor c = x.cursor(e.table("KV").orElseThrow(), KeyRange.all())) {
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
        assertEquals(want, got, "the follower caught up through the shared log");
    }

    @Test
    void aFollowerTailsStepsUpAndFencesTheOldLeader() throws Exception {
        URI log = BookKeeperCluster.get().freshUri("failover");
        try (Engine leader = open(log, "a", Role.LEADER);
                Engine follower = open(log, "b", Role.FOLLOWER)) {
            leader.createTable(KV, false);
            insert(leader, 0, 100, "a");
            leader.checkpoint();
            insert(leader, 100, 150, "a"); // after the checkpoint: only in the log
            SortedMap<Integer, Object> acked = expected(0, 150, "a");
            awaitRows(follower, acked);

            follower.stepUp(); // claims the epoch: the old leader's ledger is fenced
            StrataException e = assertThrows(StrataException.class, () -> insert(leader, 150, 151, "lost"));
            assertEquals(ErrorCode.FENCED, e.code(), e.getMessage());
            insert(follower, 200, 210, "b");
            follower.checkpoint();
            SortedMap<Integer, Object> want = new TreeMap<>(acked);
            want.putAll(expected(200, 210, "b"));
            assertEquals(want, rows(follower));
        }
        // the new leader's data is in the page log: a third node with no local files reads it all
        try (Engine c = open(log, "c", Role.LEADER)) {
            SortedMap<Integer, Object> want = expected(0, 150, "a");
            want.putAll(expected(200, 210, "b"));
            assertEquals(want, rows(c));
        }
    }
}
