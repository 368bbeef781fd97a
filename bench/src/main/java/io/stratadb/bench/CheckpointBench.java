package io.stratadb.bench;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TablePageStats;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.tx.TransactionMap;
import org.h2.mvstore.tx.TransactionStore;

/**
 * The checkpoint benchmark of issue #4: write amplification and commit latency while checkpoints run, StrataDB
 * beside H2's MVStore in the same run.
 *
 * <p>Each phase loads a fresh store, then one writer thread commits single-row updates of random keys at a fixed
 * rate (the same for every engine, so each checkpoint has the same amount of change to write) for a fixed
 * time while (in some phases) a second thread runs a checkpoint every second: {@code Engine.checkpoint()} for
 * StrataDB, {@code MVStore.commit()} (H2's checkpoint: it writes every changed page) for H2, or H2's own
 * background writer. Write amplification is the bytes the process wrote to files during the phase ({@code
 * wchar} of {@code /proc/self/io}: the page log's log and page records for StrataDB, the store file for H2)
 * divided by the user bytes committed (an 8-byte key and a 100-character value per update). Commit latencies
 * are split into commits that overlapped a checkpoint and the others.
 *
 * <p>Invariants: every phase starts from a freshly loaded store in its own directory, and only the measured
 * window (after the load and, for StrataDB, a first checkpoint of the loaded pages) is counted.
 *
 * <p>Thread safety: a command-line main; each phase runs one writer thread and at most one checkpoint thread.
 *
 * <p>Usage: {@code java -cp ... io.stratadb.bench.CheckpointBench [--quick] [--rows N] [--seconds S]
 * [--rate COMMITS_PER_S] [--durable]}. {@code --durable} runs StrataDB with {@code durability=fsync} (H2 then syncs each commit).
 */
public final class CheckpointBench {
    private static final int USER_BYTES = 8 + 100;

    private CheckpointBench() {}

    /** A store under test: single-row update commits and a checkpoint. */
    private interface Target extends AutoCloseable {
        void update(long key, String value);

        /** Runs one checkpoint now. */
        void checkpoint();

        /** What the store holds on disk now, for the report (empty if unknown). */
        default String stored() {
            return "";
        }

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        boolean quick = a.contains("--quick");
        boolean durable = a.contains("--durable");
        long rows = 200_000;
        long seconds = quick ? 6 : 15;
        long rate = 5_000;
        for (int i = 0; i + 1 < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[i + 1]);
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                case "--rate" -> rate = Long.parseLong(args[i + 1]);
                default -> {
                    // a flag, or a flag's value
                }
            }
        }
        Path work = Files.createTempDirectory("strata-ckpt-bench");
        StringBuilder table = new StringBuilder(
                "| engine | checkpoints | commits/s | user MB | written MB | bytes written per user byte "
                        + "| p50 us | p99 us | p99 us during a checkpoint | p99 us outside | checkpoints run "
                        + "| mean checkpoint ms |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        try {
            String d = durable ? " (fsync)" : "";
            int n = 0;
            Object[][] phases = {
                {"StrataDB" + d, "none", false},
                {"StrataDB" + d, "every 1 s, deltas", true},
                {"StrataDB" + d, "every 1 s, full images only", true},
                {"H2 MVStore" + d, "none (background writer off)", false},
                {"H2 MVStore" + d, "MVStore.commit() every 1 s", true},
                {"H2 MVStore" + d, "its background writer (1 s or 1 MB)", false}
            };
            for (Object[] p : phases) {
                String engine = (String) p[0];
                String mode = (String) p[1];
                Path where = work.resolve("p" + n++);
                Target t = engine.startsWith("StrataDB")
                        ? strata(where, rows, durable, !mode.contains("full images"))
                        : h2(work.resolve("p" + n + ".mv.db"), rows, durable, mode.contains("background"));
                table.append(phase(engine, mode, t, rows, (Boolean) p[2], seconds, rate));
            }
            System.out.println();
            System.out.println(table);
        } finally {
            deleteRecursively(work);
        }
    }

    /** Runs one phase and returns its table line. */
    private static String phase(
            String engine, String mode, Target t, long rows, boolean checkpoints, long seconds, long rate)
            throws Exception {
        PhaseRecorder rec = new PhaseRecorder();
        long userBytes;
        long written;
        try (t) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            Thread ckpt = new Thread(() -> {
                while (checkpoints && System.nanoTime() < end) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    long s = System.nanoTime();
                    if (s >= end) {
                        return;
                    }
                    t.checkpoint();
                    rec.checkpoint(s, System.nanoTime());
                }
            });
            long w0 = wchar();
            ckpt.start();
            SplittableRandom rnd = new SplittableRandom(7);
            long count = 0;
            long period = 1_000_000_000L / rate;
            long next = System.nanoTime();
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (now < next) {
                    LockSupport.parkNanos(next - now); // paced: every engine gets the same update rate
                    continue;
                }
                next += period;
                long s = System.nanoTime();
                t.update(rnd.nextLong(rows), value(count++));
                rec.commit(s, System.nanoTime() - s);
            }
            ckpt.join();
            written = wchar() - w0;
            userBytes = (long) rec.commits() * USER_BYTES;
            String stored = t.stored();
            if (!stored.isEmpty()) {
                System.out.println(engine + ", checkpoints " + mode + ": " + stored);
            }
        }
        double[] all = rec.percentiles(0, 0.5, 0.99);
        double[] during = rec.percentiles(1, 0.99);
        double[] outside = rec.percentiles(2, 0.99);
        String line = String.format(
                Locale.ROOT,
                "| %s | %s | %.0f | %.1f | %.1f | %.2f | %.1f | %.1f | %s | %.1f | %d | %.0f |%n",
                engine,
                mode,
                rec.commits() / (double) seconds,
                userBytes / 1e6,
                written / 1e6,
                written / (double) userBytes,
                all[1],
                all[2],
                during[0] == 0 ? "-" : String.format(Locale.ROOT, "%.1f (%d commits)", during[1], (long) during[0]),
                outside[1],
                rec.checkpoints(),
                rec.meanCheckpointMillis());
        System.out.print(line);
        return line;
    }

    /** A value of 100 characters that differs from update to update. */
    private static String value(long i) {
        String s = Long.toString(i);
        return "v".repeat(100 - s.length()) + s;
    }

    private static Target strata(Path dir, long rows, boolean durable, boolean deltas) {
        Map<String, String> options = new HashMap<>();
        options.put("checkpoint_interval_ms", "0");
        if (!deltas) {
            options.put("page_max_deltas", "0");
        }
        Engine engine = StorageProviders.get("strata")
                .open(EngineConfig.builder()
                        .path(dir)
                        .durability(durable ? Durability.FSYNC : Durability.NONE)
                        .cacheBytes(2L << 30)
                        .options(options)
                        .build());
        TableHandle table = engine.createTable(
                new TableSchema(
                        "KV",
                        List.of(
                                new ColumnDef("K", ColumnType.BIGINT, 0, 0, false, null),
                                new ColumnDef("V", ColumnType.VARCHAR, 200, 0, true, null)),
                        List.of(0)),
                false);
        Session s = engine.openSession();
        for (long k = 0; k < rows; k += 1000) {
            try (Transaction tx = s.begin()) {
                for (long i = k; i < Math.min(rows, k + 1000); i++) {
                    tx.upsert(table, new Object[] {i, value(i)});
                }
                tx.commit();
            }
        }
        engine.checkpoint(); // the base images: the phase measures what updates cost from here
        return new Target() {
            @Override
            public void update(long key, String value) {
                try (Transaction tx = s.begin()) {
                    tx.update(table, new Object[] {key, value});
                    tx.commit();
                }
            }

            @Override
            public void checkpoint() {
                engine.checkpoint();
            }

            @Override
            public String stored() {
                StringBuilder sb = new StringBuilder("page log holds");
                for (TablePageStats p : engine.pageLogStats()) {
                    sb.append(String.format(
                            Locale.ROOT,
                            " [%s: %d pages, %d full images, %d deltas, %.1f MB]",
                            p.table(),
                            p.pages(),
                            p.fullImages(),
                            p.deltas(),
                            p.bytes() / 1e6));
                }
                return sb.toString();
            }

            @Override
            public void close() {
                s.close();
                engine.close();
            }
        };
    }

    private static Target h2(Path file, long rows, boolean durable, boolean backgroundWriter) {
        MVStore.Builder b = new MVStore.Builder().fileName(file.toString()).cacheSize(2048);
        if (!backgroundWriter) {
            // no write by time or by unsaved memory (a delay of 0 would write at every commit instead)
            b.autoCommitBufferSize(50_000); // KB; MVStore scales it (x 19) into an int: keep it small enough
        }
        MVStore store = b.open();
        if (!backgroundWriter) {
            store.setAutoCommitDelay(3_600_000);
        }
        TransactionStore txs = new TransactionStore(store);
        txs.init();
        for (long k = 0; k < rows; k += 1000) {
            org.h2.mvstore.tx.Transaction tx = txs.begin();
            TransactionMap<Long, String> m = tx.openMap("kv");
            for (long i = k; i < Math.min(rows, k + 1000); i++) {
                m.put(i, value(i));
            }
            tx.commit();
        }
        store.commit();
        return new Target() {
            @Override
            public void update(long key, String value) {
                org.h2.mvstore.tx.Transaction tx = txs.begin();
                TransactionMap<Long, String> m = tx.openMap("kv");
                m.put(key, value);
                tx.commit();
                if (durable) {
                    store.commit();
                    store.sync();
                }
            }

            @Override
            public void checkpoint() {
                store.commit();
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    /** Bytes this process has passed to write calls so far (Linux), or 0 where unknown. */
    private static long wchar() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
