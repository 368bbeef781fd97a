package io.stratadb.sql.sys;

import static org.apache.calcite.sql.type.SqlTypeName.BIGINT;
import static org.apache.calcite.sql.type.SqlTypeName.INTEGER;
import static org.apache.calcite.sql.type.SqlTypeName.VARCHAR;

import io.stratadb.api.CacheStats;
import io.stratadb.api.CheckpointInfo;
import io.stratadb.api.ColumnDef;
import io.stratadb.api.Engine;
import io.stratadb.api.GlobalTimestamps;
import io.stratadb.api.HeuristicOutcome;
import io.stratadb.api.NodeState;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TablePageStats;
import io.stratadb.api.TransactionInfo;
import io.stratadb.sql.calcite.TypeMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.jspecify.annotations.Nullable;

/**
 * The read-only {@code SYS} schema: {@code NODE}, {@code TABLES}, {@code CHECKPOINTS}, {@code TRANSACTIONS},
 * {@code PAGE_LOG} and {@code CACHE}, each a view of one engine call.
 *
 * <p>Invariants: the set of tables and their columns are fixed; see {@code sys-reference.md}, which a test
 * keeps in step with {@link #tableNames()}.
 *
 * <p>Thread safety: immutable.
 */
public final class SysSchema extends AbstractSchema {
    /** The schema's name. */
    public static final String NAME = "SYS";

    private static final Map<String, Table> TABLES = build();

    @Override
    protected Map<String, Table> getTableMap() {
        return TABLES;
    }

    /** The names of the system tables. */
    public static List<String> tableNames() {
        return List.copyOf(TABLES.keySet());
    }

    private static SysTable.Column col(String name, org.apache.calcite.sql.type.SqlTypeName type) {
        return new SysTable.Column(name, type);
    }

    private static Map<String, Table> build() {
        List<SysTable> list = new ArrayList<>();
        list.add(new SysTable(
                "NODE",
                List.of(
                        col("NODE_ID", VARCHAR),
                        col("ROLE", VARCHAR),
                        col("EPOCH", BIGINT),
                        col("LEADER", VARCHAR),
                        col("PAGE_LOG", VARCHAR),
                        col("CHECKPOINT_LSN", BIGINT),
                        col("CHECKPOINT_TIMESTAMP", BIGINT),
                        col("OLDEST_TIMESTAMP", BIGINT),
                        col("STABLE_TIMESTAMP", BIGINT),
                        col("ALL_DURABLE_TIMESTAMP", BIGINT),
                        col("APPLIED_LSN", BIGINT),
                        col("LAG_LSNS", BIGINT)),
                SysSchema::node));
        list.add(new SysTable(
                "TABLES",
                List.of(
                        col("TABLE_ID", BIGINT),
                        col("TABLE_NAME", VARCHAR),
                        col("COLUMN_COUNT", INTEGER),
                        col("PRIMARY_KEY", VARCHAR),
                        col("COLUMNS", VARCHAR)),
                SysSchema::tables));
        list.add(new SysTable(
                "CHECKPOINTS",
                List.of(
                        col("LSN", BIGINT),
                        col("CHECKPOINT_TIMESTAMP", BIGINT),
                        col("OLDEST_TIMESTAMP", BIGINT),
                        col("TABLE_COUNT", INTEGER)),
                SysSchema::checkpoints));
        list.add(new SysTable(
                "TRANSACTIONS",
                List.of(
                        col("TXN_ID", BIGINT),
                        col("STATE", VARCHAR),
                        col("READ_TIMESTAMP", BIGINT),
                        col("PREPARE_TIMESTAMP", BIGINT),
                        col("COMMIT_TIMESTAMP", BIGINT),
                        col("WRITES", INTEGER),
                        col("XID", VARCHAR)),
                SysSchema::transactions));
        list.add(new SysTable(
                "PAGE_LOG",
                List.of(
                        col("TABLE_ID", BIGINT),
                        col("TABLE_NAME", VARCHAR),
                        col("PAGES", BIGINT),
                        col("FULL_IMAGES", BIGINT),
                        col("DELTAS", BIGINT),
                        col("DISCARDS", BIGINT),
                        col("BYTES", BIGINT)),
                SysSchema::pageLog));
        list.add(new SysTable(
                "CACHE",
                List.of(
                        col("BUDGET_BYTES", BIGINT),
                        col("USED_BYTES", BIGINT),
                        col("PAGES", BIGINT),
                        col("EVICTIONS", BIGINT),
                        col("READS", BIGINT)),
                SysSchema::cache));
        Map<String, Table> m = new LinkedHashMap<>();
        for (SysTable t : list) {
            m.put(t.name(), t);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static List<@Nullable Object[]> node(Engine e) {
        NodeState n = e.nodeState();
        GlobalTimestamps ts = n.timestamps();
        List<@Nullable Object[]> out = new ArrayList<>();
        out.add(new @Nullable Object[] {
            n.nodeId(),
            n.role().name(),
            n.epoch(),
            n.leader(),
            n.pageLog().toString(),
            n.checkpointLsn(),
            n.checkpointTimestamp(),
            ts.oldest(),
            ts.stable(),
            ts.allDurable(),
            n.appliedLsn(),
            n.lagLsns()
        });
        return out;
    }

    private static List<@Nullable Object[]> tables(Engine e) {
        List<@Nullable Object[]> out = new ArrayList<>();
        for (TableHandle h : e.tables()) {
            List<ColumnDef> cols = h.schema().columns();
            String pk = h.schema().primaryKey().stream()
                    .map(i -> cols.get(i).name())
                    .collect(Collectors.joining(","));
            String columns = cols.stream()
                    .map(c -> c.name() + " " + TypeMapping.declaredType(c) + (c.nullable() ? "" : " NOT NULL"))
                    .collect(Collectors.joining(", "));
            out.add(new @Nullable Object[] {h.id(), h.name(), cols.size(), pk, columns});
        }
        return out;
    }

    private static List<@Nullable Object[]> checkpoints(Engine e) {
        List<@Nullable Object[]> out = new ArrayList<>();
        for (CheckpointInfo c : e.checkpoints()) {
            out.add(new @Nullable Object[] {c.lsn(), c.timestamp(), c.oldestTimestamp(), c.tables()});
        }
        return out;
    }

    private static List<@Nullable Object[]> transactions(Engine e) {
        List<@Nullable Object[]> out = new ArrayList<>();
        for (TransactionInfo t : e.transactions()) {
            out.add(new @Nullable Object[] {
                t.id(),
                t.state().name(),
                t.readTimestamp(),
                t.prepareTimestamp(),
                t.commitTimestamp(),
                t.writes(),
                t.xid() == null ? null : String.valueOf(t.xid())
            });
        }
        for (HeuristicOutcome h : e.heuristicOutcomes()) {
            out.add(new @Nullable Object[] {
                h.txnId(),
                h.committed() ? "HEURISTIC_COMMITTED" : "HEURISTIC_ROLLED_BACK",
                0L,
                h.prepareTimestamp(),
                h.commitTimestamp(),
                0,
                String.valueOf(h.xid())
            });
        }
        return out;
    }

    private static List<@Nullable Object[]> pageLog(Engine e) {
        List<@Nullable Object[]> out = new ArrayList<>();
        for (TablePageStats s : e.pageLogStats()) {
            out.add(new @Nullable Object[] {
                s.tableId(), s.table(), s.pages(), s.fullImages(), s.deltas(), s.discards(), s.bytes()
            });
        }
        return out;
    }

    private static List<@Nullable Object[]> cache(Engine e) {
        CacheStats c = e.cacheStats();
        List<@Nullable Object[]> out = new ArrayList<>();
        out.add(new @Nullable Object[] {c.budgetBytes(), c.usedBytes(), c.pages(), c.evictions(), c.reads()});
        return out;
    }
}
