package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Projected cursors ({@code Transaction.cursor(table, range, columns)}) against full rows: the same rows in the
 * same order, each narrowed to the requested columns, for every column type and NULLs, in every place a row can
 * come from (the leader's tree, its own uncommitted writes, an older snapshot, a checkpoint read back after a
 * restart, a follower's ingest tree alone and merged over its stable tree), compared with a model of the
 * committed rows. Seeded: rerun with {@code -Dseed=}.
 */
class StrataCursorTest {
    /** One column of every type, all nullable but the key. */
    static final TableSchema ALL = new TableSchema(
            "ALLTYPES",
            List.of(
                    new ColumnDef("ID", ColumnType.BIGINT, 0, 0, false, null),
                    ColumnDef.of("B", ColumnType.BOOLEAN),
                    ColumnDef.of("S", ColumnType.SMALLINT),
                    ColumnDef.of("I", ColumnType.INTEGER),
                    new ColumnDef("D", ColumnType.DECIMAL, 12, 3, true, null),
                    ColumnDef.of("F", ColumnType.DOUBLE),
                    new ColumnDef("V", ColumnType.VARCHAR, 40, 0, true, null),
                    new ColumnDef("X", ColumnType.VARBINARY, 16, 0, true, null),
                    ColumnDef.of("DT", ColumnType.DATE),
                    ColumnDef.of("TM", ColumnType.TIME),
                    ColumnDef.of("TS", ColumnType.TIMESTAMP)),
            List.of(0));

    private static final int KEYS = 700;
    private static final int WIDTH = ALL.columns().size();

    @TempDir
    Path dir;

    private final long seed = Long.getLong("seed", System.nanoTime());
    private final Random rnd = new Random(seed);

    private @Nullable Object maybeNull(Object v) {
        return rnd.nextInt(5) == 0 ? null : v;
    }

    /** A random row with key {@code id}; any other column may be NULL. */
    private Object[] row(long id) {
        byte[] bin = new byte[rnd.nextInt(17)];
        rnd.nextBytes(bin);
        StringBuilder text = new StringBuilder();
        for (int i = rnd.nextInt(41); i > 0; i--) {
            text.append((char) (rnd.nextInt(4) == 0 ? 0xE9 + rnd.nextInt(20) : 'a' + rnd.nextInt(26)));
        }
        return new Object[] {
            id,
            maybeNull(rnd.nextBoolean()),
            maybeNull((short) rnd.nextInt(65536)),
            maybeNull(rnd.nextInt()),
            maybeNull(BigDecimal.valueOf(rnd.nextInt(2_000_000_000) - 1_000_000_000L, 3)),
            maybeNull(rnd.nextDouble() * 1e6 - 5e5),
            maybeNull(text.toString()),
            maybeNull(bin),
            maybeNull(rnd.nextInt(40_000)),
            maybeNull(rnd.nextInt(86_400_000)),
            maybeNull(rnd.nextLong() / 1024)
        };
    }

    /** Random committed writes: inserts of new keys, updates and deletes, applied to the model too. */
    private void writeBatch(Engine e, NavigableMap<Long, Object[]> model, int count) {
        writeBatch(e, model, count, Set.of());
    }

    private void writeBatch(Engine e, NavigableMap<Long, Object[]> model, int count, Set<Long> avoid) {
        TableHandle t = e.table(ALL.name()).orElseThrow();
        try (Session s = e.openSession()) {
            Transaction tx = s.begin();
            write(tx, t, model, count, avoid);
            tx.commit();
        }
    }

    /** Writes {@code count} random changes to keys not in {@code avoid}; returns the keys written. */
    private Set<Long> write(
            Transaction tx, TableHandle t, NavigableMap<Long, Object[]> model, int count, Set<Long> avoid) {
        Set<Long> touched = new HashSet<>();
        for (int i = 0; i < count; i++) {
            long id = rnd.nextInt(KEYS);
            if (avoid.contains(id)) {
                continue;
            }
            touched.add(id);
            if (model.containsKey(id) && rnd.nextInt(3) == 0) {
                tx.delete(t, new Object[] {id});
                model.remove(id);
            } else {
                Object[] r = row(id);
                tx.upsert(t, r);
                model.put(id, r);
            }
        }
        return touched;
    }

    private KeyRange range() {
        Object[] lo = rnd.nextInt(6) == 0 ? null : new Object[] {(long) rnd.nextInt(KEYS + 20) - 10};
        Object[] hi = rnd.nextInt(6) == 0 ? null : new Object[] {(long) rnd.nextInt(KEYS + 20) - 10};
        return new KeyRange(lo, rnd.nextBoolean(), hi, rnd.nextBoolean());
    }

    private int[] columns() {
        int[] cols = new int[rnd.nextInt(WIDTH + 3)];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = rnd.nextInt(WIDTH);
        }
        return cols;
    }

    private static boolean inRange(KeyRange r, long id) {
        Object[] lo = r.lower();
        Object[] hi = r.upper();
        if (lo != null) {
            int c = Long.compare(id, (Long) lo[0]);
            if (c < 0 || (c == 0 && !r.lowerInclusive())) {
                return false;
            }
        }
        if (hi != null) {
            int c = Long.compare(id, (Long) hi[0]);
            return c < 0 || (c == 0 && r.upperInclusive());
        }
        return true;
    }

    private static Object[] project(Object[] row, int[] cols) {
        Object[] out = new Object[cols.length];
        for (int i = 0; i < cols.length; i++) {
            out[i] = row[cols[i]];
        }
        return out;
    }

    private static String text(Object @Nullable [] row) {
        return row == null ? "none" : Arrays.deepToString(row);
    }

    /**
     * In {@code tx}, random ranges and projections: a projected cursor moved forward returns the model's rows in
     * the range, projected; then a random walk of next, prev and seek moves a full and a projected cursor alike.
     */
    private void compare(Transaction tx, TableHandle t, NavigableMap<Long, Object[]> model, String where) {
        for (int round = 0; round < 25; round++) {
            KeyRange r = range();
            int[] cols = columns();
            String what =
                    "seed " + seed + ", " + where + ", range " + text(r.lower()) + (r.lowerInclusive() ? "[" : "(")
                            + text(r.upper()) + (r.upperInclusive() ? "]" : ")") + ", columns " + Arrays.toString(cols);
            List<String> expected = new ArrayList<>();
            for (Map.Entry<Long, Object[]> en : model.entrySet()) {
                if (inRange(r, en.getKey())) {
                    expected.add(text(project(en.getValue(), cols)));
                }
            }
            List<String> actual = new ArrayList<>();
            try (Cursor c = tx.cursor(t, r, cols)) {
                while (c.next()) {
                    Object[] got = c.row();
                    assertEquals(cols.length, got.length, what);
                    actual.add(text(got));
                }
            }
            assertEquals(expected, actual, what);
            try (Cursor full = tx.cursor(t, r);
                    Cursor narrow = tx.cursor(t, r, cols)) {
                for (int step = 0; step < 40; step++) {
                    int op = rnd.nextInt(10);
                    boolean a;
                    boolean b;
                    if (op < 6) {
                        a = full.next();
                        b = narrow.next();
                    } else if (op < 9) {
                        a = full.prev();
                        b = narrow.prev();
                    } else {
                        Object[] key = {(long) rnd.nextInt(KEYS)};
                        full.seek(key);
                        narrow.seek(key);
                        continue;
                    }
                    assertEquals(a, b, what + ", step " + step);
                    if (a) {
                        assertEquals(text(project(full.row(), cols)), text(narrow.row()), what + ", step " + step);
                    }
                }
            }
        }
    }

    private void compareCommitted(Engine e, NavigableMap<Long, Object[]> model, String where) {
        TableHandle t = e.table(ALL.name()).orElseThrow();
        try (Session s = e.openSession()) {
            Transaction tx = s.begin();
            compare(tx, t, model, where);
            tx.commit();
        }
    }

    @Test
    void projectedRowsEqualFullRowsProjectedWhereverTheRowsLive() {
        // durable commits: a follower's catch-up reads every commit the leader acknowledged
        Nodes nodes = new Nodes(dir, TimestampMode.AUTO, Durability.FSYNC);
        NavigableMap<Long, Object[]> model = new TreeMap<>();
        StrataEngine leader = nodes.leader("l");
        try {
            leader.createTable(ALL, false);
            writeBatch(leader, model, KEYS);
            writeBatch(leader, model, 200);
            compareCommitted(leader, model, "leader, committed");

            TableHandle t = leader.table(ALL.name()).orElseThrow();
            try (Session old = leader.openSession();
                    Session writer = leader.openSession()) {
                Transaction snapshot = old.begin();
                NavigableMap<Long, Object[]> before = new TreeMap<>(model);
                Transaction uncommitted = writer.begin();
                NavigableMap<Long, Object[]> own = new TreeMap<>(model);
                Set<Long> touched = write(uncommitted, t, own, 150, Set.of());
                writeBatch(leader, model, 100, touched); // others commit to keys the open writer did not touch
                compare(snapshot, t, before, "an older snapshot");
                compareCommitted(leader, model, "others' uncommitted writes hidden");
                // the writer sees its own writes over its snapshot, not what others committed since
                compare(uncommitted, t, own, "a transaction's own writes");
                uncommitted.rollback();
                snapshot.commit();
            }

            leader.checkpoint();
            writeBatch(leader, model, 100);
            leader.close();
            leader = nodes.leader("l");
            compareCommitted(leader, model, "after a checkpoint and a restart");

            try (StrataEngine follower = nodes.follower("f")) {
                writeBatch(leader, model, 100);
                follower.catchUp();
                compareCommitted(follower, model, "a follower before pick-up (ingest over the restart's checkpoint)");
                leader.checkpoint();
                follower.pickUpCheckpoint();
                writeBatch(leader, model, 150);
                follower.catchUp();
                compareCommitted(follower, model, "a follower: ingest merged over its picked-up stable tree");
            }
        } finally {
            leader.close();
        }
    }

    @Test
    void aColumnIndexOutOfRangeFailsNamingTheTable() {
        try (StrataEngine e = new Nodes(dir, TimestampMode.AUTO, Durability.NONE).leader("l")) {
            TableHandle t = e.createTable(ALL, false);
            try (Session s = e.openSession()) {
                Transaction tx = s.begin();
                assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> tx.cursor(t, KeyRange.all(), new int[] {WIDTH})));
                assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> tx.cursor(t, KeyRange.all(), new int[] {-1})));
                tx.insert(t, row(1));
                try (Cursor c = tx.cursor(t, KeyRange.all(), new int[0])) {
                    assertTrue(c.next());
                    assertEquals(0, c.row().length, "an empty projection still counts the rows");
                }
                tx.commit();
            }
        }
    }
}
