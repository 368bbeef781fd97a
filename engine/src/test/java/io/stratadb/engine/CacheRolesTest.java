package io.stratadb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Durability;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A leader with evicted leaves steps down and up again: no row is lost on either node. */
class CacheRolesTest {
    private static final TableSchema T = new TableSchema(
            "T",
            List.of(new ColumnDef("K", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));
    private static final String PAD = "r".repeat(150);

    @TempDir
    Path root;

    private EngineConfig config(String node, Role role) {
        return EngineConfig.builder()
                .path(root.resolve(node))
                .pageLog(URI.create("file:" + root.resolve("pagelog")))
                .role(role)
                .nodeId(node)
                .timestamps(TimestampMode.AUTO)
                .durability(Durability.NONE)
                .autoPickup(false)
                .cacheBytes(256 << 10)
                .options(Map.of("checkpoint_interval_ms", "0", "publish_interval_ms", "2", "evict_period_ms", "2"))
                .build();
    }

    private static SortedMap<Integer, Object> expect(int from, int to, String who) {
        SortedMap<Integer, Object> m = new TreeMap<>();
        for (int k = from; k < to; k++) {
            m.put(k, who + k + PAD);
        }
        return m;
    }

    private static void insert(StrataEngine e, int from, int to, String who) {
        TableHandle t = e.table("T").orElseThrow();
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            for (int k = from; k < to; k++) {
                x.insert(t, new Object[] {k, who + k + PAD});
            }
            x.commit();
        }
    }

    @Test
    void evictedLeavesSurviveStepDownAndStepUp() throws InterruptedException {
        try (StrataEngine a = StrataEngine.open(config("a", Role.LEADER));
                StrataEngine b = StrataEngine.open(config("b", Role.FOLLOWER))) {
            a.createTable(T, false);
            insert(a, 0, 4000, "a");
            a.checkpoint();
            long end = System.nanoTime() + 20_000_000_000L;
            while (a.cacheStats().evictions() == 0 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertTrue(a.cacheStats().evictions() > 0, a.cacheStats().toString());
            insert(a, 4000, 4500, "a");
            a.stepDown();
            assertEquals(Role.FOLLOWER, a.nodeState().role());
            SortedMap<Integer, Object> all = expect(0, 4500, "a");
            assertEquals(all, Nodes.rows(a, "T"), "the stepped-down node still has every row");
            b.stepUp();
            insert(b, 4500, 5000, "b");
            TableHandle t = b.table("T").orElseThrow();
            try (Session s = b.openSession()) { // rewrite rows that sat in evicted leaves on the old leader
                Transaction x = s.begin();
                for (int k = 0; k < 4000; k += 3) {
                    x.upsert(t, new Object[] {k, "b" + k + PAD});
                }
                x.commit();
            }
            b.checkpoint();
            a.pickUpCheckpoint();
            a.catchUp();
            all.putAll(expect(4500, 5000, "b"));
            for (int k = 0; k < 4000; k += 3) {
                all.put(k, "b" + k + PAD);
            }
            assertEquals(all, Nodes.rows(a, "T"));
            assertEquals(all, Nodes.rows(b, "T"));
            assertEquals(all, Nodes.rowsBackwards(b, "T"));
        }
    }
}
