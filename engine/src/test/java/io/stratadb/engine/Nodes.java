package io.stratadb.engine;

import io.stratadb.api.Cursor;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Test helper: several nodes, each with its own directory, sharing one page-log directory. */
final class Nodes {
    private final Path root;
    private final TimestampMode mode;
    private final Durability durability;

    Nodes(Path root, TimestampMode mode, Durability durability) {
        this.root = root;
        this.mode = mode;
        this.durability = durability;
    }

    URI pageLog() {
        return root.resolve("pagelog").toUri();
    }

    EngineConfig config(String node, Role role, boolean autoPickup) {
        return EngineConfig.builder()
                .path(root.resolve(node))
                .pageLog(URI.create("file:" + root.resolve("pagelog")))
                .role(role)
                .nodeId(node)
                .timestamps(mode)
                .durability(durability)
                .autoPickup(autoPickup)
                .options(Map.of("checkpoint_interval_ms", "0", "publish_interval_ms", "2"))
                .build();
    }

    StrataEngine leader(String node) {
        return StrataEngine.open(config(node, Role.LEADER, false));
    }

    StrataEngine follower(String node) {
        return StrataEngine.open(config(node, Role.FOLLOWER, false));
    }

    /** Every row of {@code table} as id -> second column, read in one transaction (optionally at a timestamp). */
    static SortedMap<Integer, Object> rows(Engine e, String table, long readTs) {
        TreeMap<Integer, Object> out = new TreeMap<>();
        TableHandle t = e.table(table).orElseThrow();
        try (Session s = e.openSession()) {
            Transaction x = s.begin(TransactionOptions.defaults().atTimestamp(readTs));
            try (Cursor c = x.cursor(t, KeyRange.all())) {
                while (c.next()) {
                    Object[] r = c.row();
                    out.put((Integer) r[0], r[1]);
                }
            }
            x.commit();
        }
        return out;
    }

    static SortedMap<Integer, Object> rows(Engine e, String table) {
        return rows(e, table, 0);
    }

    /** Rows read backwards, to check the layered cursor's prev. */
    static SortedMap<Integer, Object> rowsBackwards(Engine e, String table) {
        TreeMap<Integer, Object> out = new TreeMap<>();
        TableHandle t = e.table(table).orElseThrow();
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            try (Cursor c = x.cursor(t, KeyRange.all())) {
                while (c.prev()) {
                    Object[] r = c.row();
                    out.put((Integer) r[0], r[1]);
                }
            }
            x.commit();
        }
        return out;
    }
}
