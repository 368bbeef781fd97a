package io.stratadb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SQL benchmark of issue #6: StrataDB's {@code jdbc:strata:} beside H2 in file mode, through JDBC in the same
 * run: bulk insert of 100k rows in one transaction, the same rows through {@code executeBatch} in auto-commit mode
 * (1,000 rows per batch), point SELECT by primary key with a prepared statement, a 100-row range scan, {@code
 * COUNT(*)} over the table, auto-commit UPDATE and INSERT (durable and not), and a 4-thread 80/20 read/update
 * mix.
 *
 * <p>"Durable" means a commit survives power loss once acknowledged: {@code durability=fsync} for StrataDB;
 * for H2, {@code WRITE_DELAY=0} plus {@code CHECKPOINT SYNC} after each commit, because H2 2.x with {@code
 * WRITE_DELAY=0} writes each commit but does not fsync it ({@code strace -c} shows one {@code pwrite64} and no
 * {@code fsync} per commit) and {@code CHECKPOINT SYNC} is the statement H2 offers to force its store to disk.
 * H2's unsynced {@code WRITE_DELAY=0} lines are printed as well, as "unsynced H2", for reference: they survive a
 * process crash but not a power loss. Usage: {@code mvn -q -pl bench exec:exec
 * -Dexec.mainClass=io.stratadb.bench.JdbcBench [-Dbench.args=--quick]}.
 */
public final class JdbcBench {
    private static final int ROWS = 100_000;
    private static final int BATCH = 1000;
    private static final String VALUE = "v".repeat(100);

    private JdbcBench() {}

    /**
     * How to reach one database under test.
     *
     * @param syncSql a statement run after each auto-commit write to make it durable, or empty
     */
    private record Target(String name, String url, String syncSql) {
        Target(String name, String url) {
            this(name, url, "");
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        long millis = quick ? 1000 : 3000;
        Path work = Files.createTempDirectory("strata-jdbc-bench");
        try {
            run(millis, work);
        } finally {
            EngineBench.deleteRecursively(work); // each run left about 0.7-1.7 GB in /tmp before
        }
    }

    private static void run(long millis, Path work) throws Exception {
        List<Result> results = new ArrayList<>();
        List<Target> fast = List.of(
                new Target("StrataDB", "jdbc:strata:path=" + work.resolve("s1") + ";durability=none"),
                new Target("H2", "jdbc:h2:" + work.resolve("h1") + "/db"));
        for (Target t : fast) {
            try (Connection c = DriverManager.getConnection(t.url(), "sa", "")) {
                warmUp(c);
                setUp(c);
                results.add(bulkInsert(t, c).print());
                results.add(batchInsert(t, c).print());
                // an untimed mix first: the JIT needs seconds for Calcite's and H2's code, and a half-warm first
                // line understated H2's point selects (45k/s in a quick run against 264k/s warm, in a probe); no
                // inserts (COUNT(*) checks the row count; warmUp covered the insert path)
                timed("warm-up", t, 1, 4 * millis, (st, rnd) -> {
                    switch (rnd.nextInt(3)) {
                        case 0 -> pointSelect(st, rnd);
                        case 1 -> scan(st, rnd);
                        default -> update(st, rnd);
                    }
                });
                results.add(timed("point_select", t, 1, millis, (st, rnd) -> pointSelect(st, rnd))
                        .print());
                results.add(timed("scan_100", t, 1, millis, (st, rnd) -> scan(st, rnd))
                        .print());
                results.add(timed("count_100k", t, 1, millis, (st, rnd) -> count(st))
                        .print());
                results.add(timed("autocommit_update", t, 1, millis, (st, rnd) -> update(st, rnd))
                        .print());
                AtomicLong next = new AtomicLong(ROWS * 10L);
                results.add(timed("autocommit_insert", t, 1, millis, (st, rnd) -> insert(st, next))
                        .print());
                results.add(timed("mix_80_20", t, 4, millis, (st, rnd) -> {
                            if (rnd.nextInt(100) < 80) {
                                pointSelect(st, rnd);
                            } else {
                                update(st, rnd);
                            }
                        })
                        .print());
            }
        }
        List<Target> durable = List.of(
                new Target("StrataDB", "jdbc:strata:path=" + work.resolve("s2") + ";durability=fsync"),
                new Target("H2", "jdbc:h2:" + work.resolve("h2") + "/db;WRITE_DELAY=0", "CHECKPOINT SYNC"),
                new Target("unsynced H2", "jdbc:h2:" + work.resolve("h3") + "/db;WRITE_DELAY=0"));
        for (Target t : durable) {
            try (Connection c = DriverManager.getConnection(t.url(), "sa", "")) {
                setUp(c);
                loadSmall(c);
                results.add(timed("durable_update", t, 1, millis, (st, rnd) -> update(st, rnd, 1000))
                        .print());
                AtomicLong next = new AtomicLong(ROWS * 10L);
                results.add(timed("durable_insert", t, 1, millis, (st, rnd) -> insert(st, next))
                        .print());
            }
        }
        System.out.println();
        System.out.println(EngineBench.table(results));
        for (Result r : results) {
            if (!r.engine().startsWith("StrataDB") && !r.engine().startsWith("H2")) {
                System.out.printf(
                        Locale.ROOT,
                        "reference: %s on %s: %.0f ops/s, p50 %.1f us, p99 %.1f us%n",
                        r.workload(),
                        r.engine(),
                        r.opsPerSec(),
                        r.p50Micros(),
                        r.p99Micros());
            }
        }
    }

    private interface Op {
        void run(Statements st, SplittableRandom rnd) throws SQLException;
    }

    /**
     * Runs the bulk-insert, point-select, range-scan and batch-insert code paths on a scratch table, so that the
     * measured lines of each database are not its JIT warm-up (the first database in the JVM would otherwise pay
     * the most, and a scan's deeper code path would still be compiling during the half second {@link #timed} warms
     * up).
     */
    private static void warmUp(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE warm (k BIGINT PRIMARY KEY, v VARCHAR(200))");
        }
        c.setAutoCommit(false);
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO warm VALUES (?, ?)");
                PreparedStatement sel = c.prepareStatement("SELECT v FROM warm WHERE k = ?");
                PreparedStatement range = c.prepareStatement("SELECT k, v FROM warm WHERE k >= ? AND k < ?")) {
            for (int i = 0; i < ROWS; i++) {
                ins.setLong(1, i);
                ins.setString(2, VALUE);
                ins.executeUpdate();
                if (i % 10 == 0) {
                    sel.setLong(1, i);
                    try (ResultSet rs = sel.executeQuery()) {
                        rs.next();
                    }
                }
                if (i % 50 == 0) {
                    range.setLong(1, i - 100);
                    range.setLong(2, i);
                    try (ResultSet rs = range.executeQuery()) {
                        while (rs.next()) {
                            rs.getLong(1);
                        }
                    }
                }
            }
        }
        c.commit();
        c.setAutoCommit(true);
        try (PreparedStatement batch = c.prepareStatement("INSERT INTO warm VALUES (?, ?)")) {
            for (int i = ROWS; i < ROWS + 20 * BATCH; i++) {
                batch.setLong(1, i);
                batch.setString(2, VALUE);
                batch.addBatch();
                if (i % BATCH == BATCH - 1) {
                    batch.executeBatch();
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE warm");
        }
    }

    private static void setUp(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kv (k BIGINT PRIMARY KEY, v VARCHAR(200))");
        }
    }

    private static Result bulkInsert(Target t, Connection c) throws SQLException {
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv VALUES (?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                ps.setLong(1, i);
                ps.setString(2, VALUE);
                ps.executeUpdate();
            }
        }
        c.commit();
        c.setAutoCommit(true);
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Result("bulk_insert_100k", t.name(), 1, ROWS / secs, 0, 0);
    }

    /**
     * 100k rows through {@code PreparedStatement.executeBatch}, {@link #BATCH} rows per batch, in auto-commit mode
     * (each batch is one transaction on both databases), into a table of its own.
     */
    private static Result batchInsert(Target t, Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kvb (k BIGINT PRIMARY KEY, v VARCHAR(200))");
        }
        long t0 = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kvb VALUES (?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                ps.setLong(1, i);
                ps.setString(2, VALUE);
                ps.addBatch();
                if (i % BATCH == BATCH - 1) {
                    ps.executeBatch();
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Result("batch_insert_100k", t.name(), 1, ROWS / secs, 0, 0);
    }

    private static void loadSmall(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv VALUES (?, ?)")) {
            for (int i = 0; i < 1000; i++) {
                ps.setLong(1, i);
                ps.setString(2, VALUE);
                ps.executeUpdate();
            }
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /**
     * One thread's prepared statements on its own connection, each prepared on first use and reused after.
     *
     * <p>Thread safety: confined to the thread that owns the connection.
     */
    private static final class Statements {
        private final Connection connection;
        private final String syncSql;
        private final Map<String, PreparedStatement> prepared = new HashMap<>();

        Statements(Connection connection, String syncSql) {
            this.connection = connection;
            this.syncSql = syncSql;
        }

        /** Makes the auto-committed write just done durable, where the database needs a statement for it. */
        void sync() throws SQLException {
            if (!syncSql.isEmpty()) {
                get(syncSql).execute();
            }
        }

        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement ps = prepared.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                prepared.put(sql, ps);
            }
            return ps;
        }
    }

    private static void pointSelect(Statements st, SplittableRandom rnd) throws SQLException {
        PreparedStatement ps = st.get("SELECT v FROM kv WHERE k = ?");
        ps.setLong(1, rnd.nextLong(ROWS));
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("row missing");
            }
        }
    }

    private static void scan(Statements st, SplittableRandom rnd) throws SQLException {
        PreparedStatement ps = st.get("SELECT k, v FROM kv WHERE k >= ? AND k < ?");
        long from = rnd.nextLong(ROWS - 100);
        ps.setLong(1, from);
        ps.setLong(2, from + 100);
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                n++;
            }
        }
        if (n != 100) {
            throw new IllegalStateException("scan read " + n + " rows");
        }
    }

    /** {@code SELECT COUNT(*)} over the whole 100,000-row table. */
    private static void count(Statements st) throws SQLException {
        try (ResultSet rs = st.get("SELECT COUNT(*) FROM kv").executeQuery()) {
            if (!rs.next() || rs.getLong(1) != ROWS) {
                throw new IllegalStateException("COUNT(*) did not return " + ROWS);
            }
        }
    }

    private static void update(Statements st, SplittableRandom rnd) throws SQLException {
        update(st, rnd, ROWS);
    }

    private static void update(Statements st, SplittableRandom rnd, int range) throws SQLException {
        PreparedStatement ps = st.get("UPDATE kv SET v = ? WHERE k = ?");
        ps.setString(1, VALUE);
        ps.setLong(2, rnd.nextLong(range));
        try {
            ps.executeUpdate();
            st.sync();
        } catch (SQLException e) {
            if (!"40001".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static void insert(Statements st, AtomicLong next) throws SQLException {
        PreparedStatement ps = st.get("INSERT INTO kv VALUES (?, ?)");
        ps.setLong(1, next.getAndIncrement());
        ps.setString(2, VALUE);
        ps.executeUpdate();
        st.sync();
    }

    private static Result timed(String name, Target t, int threads, long millis, Op op) throws Exception {
        AtomicLong ops = new AtomicLong();
        AllocationMeter allocated = new AllocationMeter();
        LatencySampler[] samplers = new LatencySampler[threads];
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        long warmEnd = System.nanoTime() + millis * 500_000L;
        long end = warmEnd + millis * 1_000_000L;
        for (int i = 0; i < threads; i++) {
            LatencySampler sampler = new LatencySampler();
            samplers[i] = sampler;
            long seed = 7L + i;
            Thread th = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(t.url(), "sa", "")) {
                    Statements st = new Statements(c, t.syncSql());
                    SplittableRandom rnd = new SplittableRandom(seed);
                    long n = 0;
                    long allocFrom = AllocationMeter.NOT_STARTED;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        if (allocFrom == AllocationMeter.NOT_STARTED && t0 >= warmEnd) {
                            allocFrom = AllocationMeter.allocatedByThisThread();
                        }
                        op.run(st, rnd);
                        if (t0 >= warmEnd) {
                            sampler.add(System.nanoTime() - t0);
                            n++;
                        }
                    }
                    ops.addAndGet(n);
                    allocated.addSince(allocFrom);
                } catch (Exception | Error e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException(name + " on " + t.name() + " failed", errors.get(0));
        }
        double[] p = LatencySampler.percentiles(samplers, 0.50, 0.99);
        return new Result(name, t.name(), threads, ops.get() * 1000.0 / millis, p[0], p[1], allocated.perOp(ops.get()));
    }
}
