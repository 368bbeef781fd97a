package io.stratadb.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Engine;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Rows of the two-column tables failover tests use ({@code ID INTEGER} primary key, {@code V VARCHAR}): the
 * schema, writes of key ranges, and reads of a whole table in one transaction.
 *
 * <p>Invariants: every read is one transaction, so it sees one snapshot.
 *
 * <p>Thread safety: stateless.
 */
public final class Rows {
    private Rows() {}

    /** Table {@code name} with columns {@code ID INTEGER} (the primary key) and {@code V VARCHAR}. */
    public static TableSchema schema(String name) {
        return new TableSchema(
                name,
                List.of(
                        new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null),
                        ColumnDef.of("V", ColumnType.VARCHAR)),
                List.of(0));
    }

    /** Inserts keys {@code from} (inclusive) to {@code to} (exclusive) with value {@code prefix + key}, in one commit. */
    public static void insert(Engine e, String table, int from, int to, String prefix) {
        TableHandle t = e.table(table).orElseThrow();
        try (Session s = e.openSession()) {
            Transaction tx = s.begin();
            for (int i = from; i < to; i++) {
                tx.insert(t, new Object[] {i, prefix + i});
            }
            tx.commit();
        }
    }

    /** What {@link #insert} writes: key to {@code prefix + key}. */
    public static SortedMap<Integer, Object> expected(int from, int to, String prefix) {
        TreeMap<Integer, Object> m = new TreeMap<>();
        for (int i = from; i < to; i++) {
            m.put(i, prefix + i);
        }
        return m;
    }

    /** Every row of {@code table} as key to second column; empty if the node does not have the table (yet). */
    public static SortedMap<Integer, Object> rows(Engine e, String table) {
        TreeMap<Integer, Object> out = new TreeMap<>();
        if (e.table(table).isEmpty()) {
            return out;
        }
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            try (Cursor c = x.cursor(e.table(table).orElseThrow(), KeyRange.all())) {
                while (c.next()) {
                    out.put((Integer) c.row()[0], c.row()[1]);
                }
            }
            x.commit();
        }
        return out;
    }

    /** The keys of every row of {@code table}, which the node must have. */
    public static Set<Integer> keys(Engine e, String table) {
        Set<Integer> out = new HashSet<>();
        try (Session s = e.openSession()) {
            Transaction x = s.begin();
            try (Cursor c = x.cursor(e.table(table).orElseThrow(), KeyRange.all())) {
                while (c.next()) {
                    out.add((Integer) c.row()[0]);
                }
            }
            x.commit();
        }
        return out;
    }

    /** Waits (up to 30 s) until {@code table} on {@code e} is exactly {@code want}; fails with the difference. */
    public static void awaitRows(Engine e, String table, SortedMap<Integer, Object> want) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        SortedMap<Integer, Object> got = rows(e, table);
        while (!got.equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            got = rows(e, table);
        }
        assertEquals(want, got, "the follower caught up through the shared log");
    }

    /** The acknowledged keys missing from {@code table} on {@code e} (the set a failover test asserts empty). */
    public static Set<Integer> missing(Engine e, String table, Set<Integer> acknowledged) {
        Set<Integer> missing = new HashSet<>(acknowledged);
        missing.removeAll(keys(e, table));
        return missing;
    }
}
