package io.stratadb.engine.checkpoint;

import io.stratadb.api.EngineConfig;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.reconcile.ReconcileOptions;
import io.stratadb.engine.txn.TxnManager;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a completed checkpoint holds, read straight from a closed database's page log without log replay: per
 * table, each row's first column mapped to (row, commit ts, durable ts).
 *
 * <p>Thread safety: immutable after {@link #read}.
 */
final class CheckpointImage {
    /** One stored version. */
    @SuppressWarnings("ArrayRecordComponent") // test value, never mutated
    record Version(Object[] row, long commitTs, long durableTs) {}

    final long checkpointTs;
    final Map<String, Map<Object, Version>> tables = new TreeMap<>();

    private CheckpointImage(long ts) {
        this.checkpointTs = ts;
    }

    /** The newest completed checkpoint of the (closed) database {@code config}. */
    static CheckpointImage read(EngineConfig config) {
        try (PageLog pl = PageLogProviders.open(config.pageLogUri(), new PageLogOptions("inspector", false))) {
            CheckpointCompletion c = pl.completedCheckpoint(0).orElseThrow();
            return read(pl, c);
        }
    }

    /** The completed checkpoint {@code c} of {@code pl}. */
    static CheckpointImage read(PageLog pl, CheckpointCompletion c) {
        Catalog catalog = new Catalog();
        TxnManager txns = new TxnManager(TimestampMode.APPLICATION, () -> 1);
        CheckpointLoader.Loaded l = CheckpointLoader.load(pl, c, catalog, txns, ReconcileOptions.DEFAULTS);
        CheckpointImage img = new CheckpointImage(l.meta().checkpointTs());
        List<TableEntry> entries = catalog.entries();
        for (TableEntry t : entries) {
            Map<Object, Version> rows = new TreeMap<>();
            t.tree().faultInAll(); // a lazily loaded tree is all stubs
            t.tree().forEachSlot(s -> {
                Update u = s.head();
                byte[] v = u == null ? null : u.value();
                if (u != null && v != null) {
                    Object[] row = t.rows().decode(v);
                    rows.put(
                            row[0],
                            new Version(row, u.owner().commitTs(), u.owner().durableTs()));
                }
            });
            img.tables.put(t.name(), rows);
        }
        return img;
    }

    /** The stored version of {@code key} in {@code table}; fails the test if absent. */
    Version get(String table, Object key) {
        Version v = table(table).get(key);
        if (v == null) {
            throw new AssertionError("key " + key + " of " + table + " is not in the checkpoint at " + checkpointTs);
        }
        return v;
    }

    Map<Object, Version> table(String name) {
        Map<Object, Version> t = tables.get(name);
        return t == null ? Map.of() : t;
    }
}
