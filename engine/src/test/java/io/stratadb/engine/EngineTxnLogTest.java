package io.stratadb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.log.LogCodec;
import io.stratadb.engine.log.LogEntry;
import io.stratadb.engine.log.RecordType;
import io.stratadb.engine.pagelog.CopyingAppend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Commit records written by the commit path (encoded from a transaction's writes into a reused buffer, appended as a
 * range or as a copy) are byte for byte what {@link LogCodec#encode} writes for the same entry, and recovery
 * replays them to the committed state.
 */
class EngineTxnLogTest {
    private static final TableSchema T = new TableSchema(
            "T",
            List.of(new ColumnDef("K", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARBINARY)),
            List.of(0));

    @TempDir
    Path dir;

    /** One expected op: the key, its encoding, the encoded row (null: a delete) and the raw value. */
    @SuppressWarnings("ArrayRecordComponent") // never mutated
    private record Op(int k, byte[] key, byte @Nullable [] value, byte @Nullable [] raw) {}

    @ParameterizedTest(name = "file page log {0}")
    @ValueSource(booleans = {true, false})
    void commitRecordsAreTheGeneralEncodingOfTheLiveWritesAndReplay(boolean file) {
        long seed = Long.getLong("seed", System.nanoTime());
        SplittableRandom rnd = new SplittableRandom(seed);
        String why = "seed " + seed + " (rerun with -Dseed=" + seed + ")";
        EngineConfig.Builder b = EngineConfig.builder().options(Map.of("checkpoint_interval_ms", "0"));
        EngineConfig config = file ? b.path(dir).build() : b.build(); // no checkpoint: every record stays
        Map<Integer, byte[]> model = new TreeMap<>();
        List<List<Op>> expected = new ArrayList<>();
        long tableId;
        try (StrataEngine e = StrataEngine.open(config);
                Session s = e.openSession()) {
            assertEquals(file, e.pageLog() instanceof CopyingAppend, "the file page log appends ranges: " + why);
            TableHandle h = e.createTable(T, false);
            TableEntry t = e.catalog().resolve(h);
            tableId = t.id();
            for (int n = 0; n < 300; n++) {
                Map<Integer, byte[]> after = new TreeMap<>(model);
                List<Op> live = new ArrayList<>();
                Transaction tx = s.begin();
                int writes = 1 + rnd.nextInt(6);
                long mark = -1;
                int liveAtMark = 0;
                for (int w = 0; w < writes; w++) {
                    if (mark < 0 && rnd.nextInt(4) == 0) {
                        mark = tx.savepoint();
                        liveAtMark = live.size();
                    }
                    int k = rnd.nextInt(40);
                    byte[] key = t.keys().encodeKey(new Object[] {k});
                    if (after.containsKey(k) && rnd.nextInt(3) == 0) {
                        tx.delete(h, new Object[] {k});
                        after.remove(k);
                        live.add(new Op(k, key, null, null));
                    } else {
                        byte[] v = value(rnd);
                        Object[] row = {k, v};
                        tx.upsert(h, row);
                        after.put(k, v);
                        live.add(new Op(k, key, t.rows().encode(t.rows().coerceRow(row)), v));
                    }
                }
                if (mark >= 0 && rnd.nextBoolean()) {
                    tx.rollbackTo(mark); // the aborted writes stay in the write set and must be left out
                    live.subList(liveAtMark, live.size()).clear();
                    after = replay(model, live);
                }
                tx.commit();
                model = after;
                if (!live.isEmpty()) {
                    expected.add(live);
                }
            }
            List<LogRecord> commits = e.pageLog().readLog(0, Integer.MAX_VALUE).stream()
                    .filter(r -> r.type() == RecordType.COMMIT.code())
                    .toList();
            assertEquals(expected.size(), commits.size(), why);
            for (int i = 0; i < commits.size(); i++) {
                LogRecord r = commits.get(i);
                LogEntry.TxnEntry got = (LogEntry.TxnEntry) LogCodec.decode(r.lsn(), r.type(), r.payload());
                List<LogEntry.Op> ops = new ArrayList<>();
                for (Op op : expected.get(i)) {
                    ops.add(new LogEntry.Op(tableId, op.key(), op.value()));
                }
                byte[] general = LogCodec.encode(new LogEntry.TxnEntry(
                        RecordType.COMMIT, got.txnId(), got.commitTs(), got.durableTs(), 0, null, ops));
                assertArrayEquals(general, r.payload(), "commit record " + i + ", " + why);
            }
            checkContents(e, h, model, why);
        }
        if (file) {
            try (StrataEngine e = StrataEngine.open(config)) {
                checkContents(e, e.table("T").orElseThrow(), model, "after recovery, " + why);
            }
        }
    }

    /** Values of every size class: empty, small, two-byte lengths, and over the reused buffer's limit. */
    private static byte[] value(SplittableRandom rnd) {
        int r = rnd.nextInt(20);
        int n = r == 0
                ? EngineTxnLog.KEEP_BYTES + rnd.nextInt(100)
                : r < 3 ? 0 : r < 6 ? 128 + rnd.nextInt(400) : 1 + rnd.nextInt(100);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rnd.nextInt();
        }
        return b;
    }

    private static Map<Integer, byte[]> replay(Map<Integer, byte[]> before, List<Op> live) {
        Map<Integer, byte[]> m = new TreeMap<>(before);
        for (Op op : live) {
            byte[] v = op.raw();
            if (v == null) {
                m.remove(op.k());
            } else {
                m.put(op.k(), v);
            }
        }
        return m;
    }

    private static void checkContents(StrataEngine e, TableHandle h, Map<Integer, byte[]> model, String why) {
        try (Session s = e.openSession();
                Transaction tx = s.begin()) {
            for (int k = 0; k < 40; k++) {
                Object[] row = tx.get(h, new Object[] {k});
                byte[] want = model.get(k);
                if (want == null) {
                    assertNull(row, "key " + k + ", " + why);
                } else {
                    assertArrayEquals(want, row == null ? null : (byte[]) row[1], "key " + k + ", " + why);
                }
            }
        }
    }
}
