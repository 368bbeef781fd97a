package io.stratadb.pagelog.bookkeeper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine, unchanged, on {@code pagelog=bookkeeper://...}: it finds the backend by URI scheme, and what it
 * commits and checkpoints survives a close and a reopen, also on a node with no local files.
 */
@ExtendWith(BookKeeperCluster.Extension.class)
class EngineOnBookKeeperTest {
    private static final TableSchema KV = new TableSchema(
            "KV",
            List.of(new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));

    @TempDir
    Path dir;

    private static EngineConfig config(Path path, URI log, String node) {
        return EngineConfig.fromProperties(Map.of(
                "path", path.toString(),
                "pagelog", log.toString(),
                "node", node,
                "durability", Durability.FSYNC.name().toLowerCase(java.util.Locale.ROOT)));
    }

    private static void insert(Engine e, int from, int to) {
        TableHandle t = e.table("KV").orElseThrow();
        try (Session s = e.openSession()) {
            Transaction tx = s.begin();
            for (int i = from; i < to; i++) {
                tx.insert(t, new Object[] {i, "v" + i});
            }
            tx.commit();
        }
    }

    private static void assertRows(Engine e, int count, int absent) {
        TableHandle t = e.table("KV").orElseThrow();
        try (Session s = e.openSession()) {
            Transaction tx = s.begin();
            for (int i = 0; i < count; i++) {
                assertArrayEquals(new Object[] {i, "v" + i}, tx.get(t, new Object[] {i}), "row " + i);
            }
            assertNull(tx.get(t, new Object[] {absent}));
            tx.rollback();
        }
    }

    @Test
    void committedAndCheckpointedDataSurvivesReopenAndAFreshNode() {
        URI log = BookKeeperCluster.get().freshUri("engine");
        try (Engine e = StorageProviders.get("strata").open(config(dir.resolve("a"), log, "node-a"))) {
            e.createTable(KV, false);
            insert(e, 0, 300);
            e.checkpoint();
            insert(e, 300, 400); // only in the log: replayed at the next open
        }
        try (Engine e = StorageProviders.get("strata").open(config(dir.resolve("a"), log, "node-a"))) {
            assertRows(e, 400, 400);
            insert(e, 400, 450);
            e.checkpoint();
        }
        // another node with empty local directories finds everything in the shared page log
        try (Engine e = StorageProviders.get("strata").open(config(dir.resolve("b"), log, "node-b"))) {
            assertRows(e, 450, 450);
        }
        try (PageLog pl = PageLogProviders.open(log, new PageLogOptions("observer", true))) {
            assertTrue(pl.completedCheckpoints().size() >= 1, "checkpoints were completed in ZooKeeper");
            assertEquals(3, pl.currentEpoch(), "each open claimed an epoch");
            assertEquals("node-b", pl.epochOwner().orElseThrow());
        }
    }
}
