package io.stratadb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.stratadb.api.Cursor;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionOptions;
import io.stratadb.api.TxnState;
import io.stratadb.engine.pagelog.memory.MemoryPageLogProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A seeded random workload (sessions, commits, rollbacks, conflicts, prepares, timestamps, reads at timestamps,
 * rollback to stable, checkpoints, close and reopen) run against the engine and against a small reference model of the same
 * semantics ({@code TreeMap} of key to committed versions), compared step by step. Run one seed with {@code
 * -Dseed=N}.
 */
class ModelTest {
    private static final int KEYS = 10;
    private static final int SESSIONS = 4;

    /** A committed version in the model. */
    private record Version(
            long seq, long ts, long durable, @Nullable String value) {}

    /** A transaction in the model, with the engine's handle. */
    private static final class MTxn {
        @Nullable
        Integer session;

        Transaction tx;
        final long snapshot;
        final long readTs;
        final Map<Integer, Optional<String>> writes = new LinkedHashMap<>();
        boolean prepared;
        long prepareTs;

        @Nullable
        GlobalTxnId xid;

        MTxn(@Nullable Integer session, Transaction tx, long snapshot, long readTs) {
            this.session = session;
            this.tx = tx;
            this.snapshot = snapshot;
            this.readTs = readTs;
        }
    }

    private final TreeMap<Integer, List<Version>> committed = new TreeMap<>();
    private final List<MTxn> live = new ArrayList<>();
    private final MTxn[] bySession = new MTxn[SESSIONS];
    private final Session[] sessions = new Session[SESSIONS];
    private long commitCount;
    private long now = 10;
    private long stable;
    private long oldest;
    private int xids;
    private Random r = new Random();
    private long seed;
    private int step;

    @SuppressWarnings("NullAway.Init") // set by run() before any step
    private Engine engine;

    @SuppressWarnings("NullAway.Init") // set by run() before any step
    private TableHandle table;

    private URI uri = URI.create("memory:unused");

    @Test
    void engineMatchesTheReferenceModel() {
        long base = Long.getLong("seed", System.nanoTime());
        int seeds = Long.getLong("seed") != null ? 1 : 20;
        for (int i = 0; i < seeds; i++) {
            run(base + i, 3000);
        }
        org.slf4j.LoggerFactory.getLogger(ModelTest.class).warn("model test outcomes: {}", outcomes);
    }

    private void run(long s, int steps) {
        seed = s;
        r = new Random(s);
        committed.clear();
        live.clear();
        java.util.Arrays.fill(bySession, null);
        commitCount = 0;
        now = 10;
        stable = 0;
        oldest = 0;
        uri = URI.create("memory:model-" + s + "-" + System.nanoTime());
        engine = open();
        table = engine.createTable(TimestampsTest.KV, false);
        try {
            for (step = 0; step < steps; step++) {
                step();
                checkStates();
            }
        } finally {
            engine.close();
            MemoryPageLogProvider.drop(uri.getSchemeSpecificPart());
        }
    }

    private Engine open() {
        Engine e = StrataEngine.open(EngineConfig.builder()
                .pageLog(uri)
                .timestamps(TimestampMode.APPLICATION)
                .build());
        for (int i = 0; i < SESSIONS; i++) {
            sessions[i] = e.openSession();
        }
        return e;
    }

    private String where() {
        return "seed=" + seed + " step=" + step + " (rerun with -Dseed=" + seed + ")";
    }

    // ------------------------------------------------------------------ model reads and writes

    /** The model's read of k in t: the value, null if absent; throws PREPARE_CONFLICT as the engine must. */
    private @Nullable String read(MTxn t, int k) {
        Optional<String> own = t.writes.get(k);
        if (own != null) {
            return own.orElse(null);
        }
        for (MTxn p : live) {
            if (p != t && p.prepared && p.writes.containsKey(k) && (t.readTs == 0 || p.prepareTs <= t.readTs)) {
                throw new StrataException(ErrorCode.PREPARE_CONFLICT, "model");
            }
        }
        String v = null;
        for (Version ver : committed.getOrDefault(k, List.of())) {
            if (ver.seq <= t.snapshot && (t.readTs == 0 || ver.ts <= t.readTs)) {
                v = ver.value;
            }
        }
        return v;
    }

    private long latestTs(int k) {
        List<Version> vs = committed.getOrDefault(k, List.of());
        return vs.isEmpty() ? 0 : vs.get(vs.size() - 1).ts;
    }

    private void rolledBack(MTxn t) {
        live.remove(t);
        if (t.session != null && bySession[t.session] == t) {
            bySession[t.session] = null;
        }
    }

    private void apply(MTxn t, long c, long d) {
        if (!t.writes.isEmpty()) {
            long seq = ++commitCount;
            for (Map.Entry<Integer, Optional<String>> w : t.writes.entrySet()) {
                committed
                        .computeIfAbsent(w.getKey(), x -> new ArrayList<>())
                        .add(new Version(seq, c, d, w.getValue().orElse(null)));
            }
        }
        rolledBack(t);
        now = Math.max(now, d);
    }

    // ------------------------------------------------------------------ steps

    private final Map<String, Integer> outcomes = new TreeMap<>();

    private <T> void compare(String what, @Nullable ErrorCode expected, Supplier<T> engineOp, @Nullable T want) {
        outcomes.merge(what.split(" ", -1)[0] + (expected == null ? "" : ":" + expected), 1, Integer::sum);
        T got;
        try {
            got = engineOp.get();
        } catch (StrataException e) {
            if (expected == null) {
                fail(
                        what + ": engine failed with " + e.getMessage() + " but the model expected " + want + "; "
                                + where(),
                        e);
            }
            assertEquals(expected, e.code(), what + ": " + e.getMessage() + "; " + where());
            return;
        }
        if (expected != null) {
            fail(what + ": engine returned " + got + " but the model expected " + expected + "; " + where());
        }
        assertEquals(want, got, what + "; " + where());
    }

    private @Nullable MTxn randomActive() {
        List<MTxn> a = new ArrayList<>();
        for (MTxn t : live) {
            if (!t.prepared) {
                a.add(t);
            }
        }
        return a.isEmpty() ? null : a.get(r.nextInt(a.size()));
    }

    private @Nullable MTxn randomPrepared() {
        List<MTxn> a = new ArrayList<>();
        for (MTxn t : live) {
            if (t.prepared) {
                a.add(t);
            }
        }
        return a.isEmpty() ? null : a.get(r.nextInt(a.size()));
    }

    private void step() {
        int op = r.nextInt(100);
        if (op < 18) {
            begin();
        } else if (op < 45) {
            write();
        } else if (op < 58) {
            readOne();
        } else if (op < 62) {
            scan();
        } else if (op < 72) {
            commit();
        } else if (op < 76) {
            rollback();
        } else if (op < 81) {
            prepare();
        } else if (op < 87) {
            resolve();
        } else if (op < 92) {
            moveStable();
        } else if (op < 96) {
            moveOldest();
        } else if (op < 97) {
            rts();
        } else if (op < 98) {
            engine.checkpoint(); // changes nothing visible; reopen then starts from it
        } else if (op < 99) {
            reopen();
        } else {
            fullCheck();
        }
    }

    private void begin() {
        int s = r.nextInt(SESSIONS);
        if (bySession[s] != null) {
            return;
        }
        long rt = r.nextInt(10) < 6 ? 0 : Math.max(0, oldest - 2 + r.nextInt((int) (now - oldest) + 6));
        if (rt != 0 && rt < oldest) {
            compare("begin at " + rt, ErrorCode.INVALID_TIMESTAMP, () -> sessions[s].begin(opts(rt)), null);
            return;
        }
        Transaction tx = sessions[s].begin(opts(rt));
        MTxn t = new MTxn(s, tx, commitCount, rt);
        live.add(t);
        bySession[s] = t;
    }

    private static TransactionOptions opts(long rt) {
        return TransactionOptions.defaults().atTimestamp(rt);
    }

    private void write() {
        MTxn t = randomActive();
        if (t == null) {
            return;
        }
        int k = r.nextInt(KEYS);
        int mode = r.nextInt(4);
        String val = "v" + r.nextInt(1000);
        String v = mode == 3 ? null : val;
        String what = new String[] {"insert", "update", "upsert", "delete"}[mode] + " " + k + " in txn " + t.tx.id();
        ErrorCode conflict = null;
        if (!t.writes.containsKey(k)) {
            for (MTxn o : live) {
                if (o != t && o.writes.containsKey(k)) {
                    conflict = o.prepared ? ErrorCode.PREPARE_CONFLICT : ErrorCode.WRITE_CONFLICT;
                }
            }
            List<Version> vs = committed.getOrDefault(k, List.of());
            if (conflict == null && !vs.isEmpty() && vs.get(vs.size() - 1).seq > t.snapshot) {
                conflict = ErrorCode.WRITE_CONFLICT;
            }
        }
        Object[] row = {k, v};
        Object[] key = {k};
        if (conflict != null) {
            Supplier<Boolean> opFn = switch (mode) {
                case 0 ->
                    () -> {
                        t.tx.insert(table, row);
                        return true;
                    };
                case 1 -> () -> t.tx.update(table, row);
                case 2 ->
                    () -> {
                        t.tx.upsert(table, row);
                        return true;
                    };
                default -> () -> t.tx.delete(table, key);
            };
            compare(what, conflict, opFn, null);
            assertEquals(TxnState.ROLLED_BACK, t.tx.state(), what + " conflict rolls back; " + where());
            rolledBack(t);
            return;
        }
        String cur = read(t, k);
        switch (mode) {
            case 0 -> {
                ErrorCode e = cur != null ? ErrorCode.DUPLICATE_KEY : null;
                compare(
                        what,
                        e,
                        () -> {
                            t.tx.insert(table, row);
                            return true;
                        },
                        true);
                if (e == null) {
                    t.writes.put(k, Optional.of(val));
                }
            }
            case 1 -> {
                compare(what, null, () -> t.tx.update(table, row), cur != null);
                if (cur != null) {
                    t.writes.put(k, Optional.of(val));
                }
            }
            case 2 -> {
                compare(
                        what,
                        null,
                        () -> {
                            t.tx.upsert(table, row);
                            return true;
                        },
                        true);
                t.writes.put(k, Optional.of(val));
            }
            default -> {
                compare(what, null, () -> t.tx.delete(table, key), cur != null);
                if (cur != null) {
                    t.writes.put(k, Optional.empty());
                }
            }
        }
    }

    private void readOne() {
        MTxn t = randomActive();
        if (t == null) {
            return;
        }
        int k = r.nextInt(KEYS);
        String what = "get " + k + " in txn " + t.tx.id() + " at " + t.readTs;
        String want;
        try {
            want = read(t, k);
        } catch (StrataException e) {
            compare(what, ErrorCode.PREPARE_CONFLICT, () -> t.tx.get(table, new Object[] {k}), null);
            rolledBack(t);
            return;
        }
        compare(what, null, () -> valueOf(t.tx.get(table, new Object[] {k})), want);
    }

    private static @Nullable String valueOf(Object @Nullable [] row) {
        return row == null ? null : (String) row[1];
    }

    private void scan() {
        MTxn t = randomActive();
        if (t == null) {
            return;
        }
        boolean forward = r.nextBoolean();
        List<String> want = new ArrayList<>();
        boolean conflict = false;
        for (int k = 0; k < KEYS; k++) {
            try {
                String v = read(t, k);
                if (v != null) {
                    want.add(k + "=" + v);
                }
            } catch (StrataException e) {
                conflict = true;
            }
        }
        if (!forward) {
            java.util.Collections.reverse(want);
        }
        String what = (forward ? "scan" : "reverse scan") + " in txn " + t.tx.id() + " at " + t.readTs;
        compare(
                what,
                conflict ? ErrorCode.PREPARE_CONFLICT : null,
                () -> {
                    List<String> got = new ArrayList<>();
                    Cursor c = t.tx.cursor(table, KeyRange.all());
                    while (forward ? c.next() : c.prev()) {
                        got.add(c.row()[0] + "=" + c.row()[1]);
                    }
                    return got;
                },
                want);
        if (conflict) {
            rolledBack(t);
        }
    }

    private void commit() {
        MTxn t = randomActive();
        if (t == null) {
            return;
        }
        long c;
        int how = r.nextInt(10);
        if (how == 0) {
            c = Math.max(1, stable); // not after stable
        } else if (how == 1) {
            c = stable + 1 + r.nextInt((int) Math.max(1, now - stable)); // maybe out of key order
        } else {
            c = Math.max(now, t.readTs) + 1 + r.nextInt(2);
        }
        ErrorCode e = null;
        if (c <= stable || (t.readTs != 0 && c < t.readTs)) {
            e = ErrorCode.INVALID_TIMESTAMP;
        }
        for (int k : t.writes.keySet()) {
            if (latestTs(k) > c) {
                e = ErrorCode.INVALID_TIMESTAMP;
            }
        }
        long cc = c;
        compare(
                "commit txn " + t.tx.id() + " at " + c,
                e,
                () -> {
                    t.tx.commit(cc, 0);
                    return true;
                },
                true);
        if (e == null) {
            apply(t, c, c);
        }
    }

    private void rollback() {
        MTxn t = randomActive();
        if (t == null) {
            return;
        }
        t.tx.rollback();
        rolledBack(t);
    }

    private void prepare() {
        MTxn t = randomActive();
        if (t == null) {
            return;
        }
        long p = r.nextInt(8) == 0 ? Math.max(1, stable) : Math.max(now, t.readTs) + 1;
        ErrorCode e = p <= stable || (t.readTs != 0 && p < t.readTs) ? ErrorCode.INVALID_TIMESTAMP : null;
        GlobalTxnId x = new GlobalTxnId(7, ("x" + ++xids).getBytes(StandardCharsets.UTF_8), new byte[0]);
        compare(
                "prepare txn " + t.tx.id() + " at " + p,
                e,
                () -> {
                    t.tx.prepare(p, x);
                    return true;
                },
                true);
        if (e == null) {
            t.prepared = true;
            t.prepareTs = p;
            t.xid = x;
            now = Math.max(now, p);
        }
    }

    private void resolve() {
        MTxn t = randomPrepared();
        if (t == null) {
            return;
        }
        if (r.nextInt(3) == 0) {
            t.tx.rollback();
            assertEquals(TxnState.ROLLED_BACK, t.tx.state(), where());
            rolledBack(t);
            return;
        }
        long c = r.nextInt(6) == 0 ? t.prepareTs - 1 : t.prepareTs + r.nextInt(3);
        long d = c + r.nextInt(3);
        ErrorCode e = null;
        if (c < t.prepareTs || d <= stable) {
            e = ErrorCode.INVALID_TIMESTAMP;
        }
        for (int k : t.writes.keySet()) {
            if (latestTs(k) > c) {
                e = ErrorCode.INVALID_TIMESTAMP;
            }
        }
        compare(
                "commit prepared txn " + t.tx.id() + " at " + c + "/" + d,
                e,
                () -> {
                    t.tx.commit(c, d);
                    return true;
                },
                true);
        if (e == null) {
            apply(t, c, d);
        }
    }

    private void moveStable() {
        long v = r.nextInt(6) == 0 ? stable - 1 : stable + r.nextInt((int) (now - stable) + 2);
        ErrorCode e = v < stable || v < oldest ? ErrorCode.INVALID_TIMESTAMP : null;
        compare(
                "set stable " + v,
                e,
                () -> {
                    engine.setTimestamp(TimestampKind.STABLE, v);
                    return true;
                },
                true);
        if (e == null) {
            stable = v;
            now = Math.max(now, v);
        }
    }

    private void moveOldest() {
        long v = r.nextInt(6) == 0 ? stable + 1 : oldest + r.nextInt((int) (stable - oldest) + 1);
        ErrorCode e = v < oldest || v > stable ? ErrorCode.INVALID_TIMESTAMP : null;
        compare(
                "set oldest " + v,
                e,
                () -> {
                    engine.setTimestamp(TimestampKind.OLDEST, v);
                    return true;
                },
                true);
        if (e == null) {
            oldest = v;
        }
    }

    private void rts() {
        if (!live.isEmpty() && r.nextBoolean()) {
            compare(
                    "rollback to stable with live txns",
                    ErrorCode.INVALID_STATE,
                    () -> {
                        engine.rollbackToStable();
                        return true;
                    },
                    true);
            return;
        }
        for (MTxn t : new ArrayList<>(live)) {
            t.tx.rollback();
            rolledBack(t);
        }
        engine.rollbackToStable();
        for (List<Version> vs : committed.values()) {
            vs.removeIf(v -> v.durable > stable);
        }
    }

    private void reopen() {
        engine.close();
        for (MTxn t : new ArrayList<>(live)) {
            if (!t.prepared) {
                rolledBack(t);
            }
        }
        java.util.Arrays.fill(bySession, null);
        engine = open();
        table = engine.table("KV").orElseThrow();
        assertEquals(stable, engine.timestamps().stable(), "stable after reopen; " + where());
        assertEquals(oldest, engine.timestamps().oldest(), "oldest after reopen; " + where());
        for (MTxn t : live) {
            GlobalTxnId x = java.util.Objects.requireNonNull(t.xid);
            t.tx = engine.preparedTransaction(x).orElseThrow(() -> new AssertionError("lost prepared " + x + where()));
            t.session = null;
        }
        fullCheck();
    }

    private void fullCheck() {
        int s = -1;
        for (int i = 0; i < SESSIONS; i++) {
            if (bySession[i] == null) {
                s = i;
            }
        }
        if (s < 0) {
            return;
        }
        for (long rt : new long[] {0, Math.max(oldest, now / 2), Math.max(oldest, now)}) {
            Transaction tx = sessions[s].begin(new TransactionOptions(rt, true, false));
            MTxn probe = new MTxn(s, tx, commitCount, rt);
            Map<Integer, String> want = new HashMap<>();
            for (int k = 0; k < KEYS; k++) {
                String v = null;
                for (Version ver : committed.getOrDefault(k, List.of())) {
                    if (rt == 0 || ver.ts <= rt) {
                        v = ver.value;
                    }
                }
                if (v != null) {
                    want.put(k, v);
                }
            }
            Map<Integer, String> got = new HashMap<>();
            Cursor c = tx.cursor(table, KeyRange.all());
            while (c.next()) {
                got.put((Integer) c.row()[0], (String) c.row()[1]);
            }
            assertEquals(want, got, "ignore-prepare snapshot at " + rt + " of " + probe.snapshot + "; " + where());
            tx.commit();
        }
    }

    private void checkStates() {
        for (MTxn t : live) {
            assertEquals(t.prepared ? TxnState.PREPARED : TxnState.ACTIVE, t.tx.state(), "txn state; " + where());
        }
        assertEquals(live.size(), engine.transactions().size(), "live transactions; " + where());
    }
}
