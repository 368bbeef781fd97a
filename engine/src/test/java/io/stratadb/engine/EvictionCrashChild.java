package io.stratadb.engine;

import io.stratadb.api.CacheStats;
import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Durability;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link EvictionCrashTest}: a small cache (eviction active), background checkpoints and four
 * writer threads committing with {@code durability=fsync}; each acknowledged commit prints {@code ACK unique hot
 * value}, and the cache figures are printed as {@code STATS evictions reads} every 100 ms, until the parent kills
 * the process with SIGKILL.
 *
 * <p>Thread safety: the print stream is shared; each line is printed and flushed under its lock.
 */
public final class EvictionCrashChild {
    static final TableSchema T = new TableSchema(
            "T",
            List.of(
                    new ColumnDef("K", ColumnType.BIGINT, 0, 0, false, null),
                    ColumnDef.of("N", ColumnType.BIGINT),
                    ColumnDef.of("PAD", ColumnType.VARCHAR)),
            List.of(0));

    /** Writer threads. */
    static final int WRITERS = 4;

    /** Hot keys per writer: writer w updates keys {@code [w * HOT, (w + 1) * HOT)}; unique keys lie above. */
    static final int HOT = 500;

    static final String PAD = "e".repeat(200);

    private EvictionCrashChild() {}

    /**
     * The child's configuration ({@code background}: a 256 KiB cache, checkpoints every 300 ms and whenever
     * nothing is evictable), or the verifier's (a 64 MiB cache and no background checkpoint, so that a
     * {@code turtle.prev} it finds is a leftover of the crash, not of a checkpoint it runs itself).
     */
    static EngineConfig config(Path dir, boolean background) {
        String gap = background ? "300" : "0";
        return EngineConfig.builder()
                .path(dir)
                .durability(Durability.FSYNC)
                .cacheBytes(background ? 256 << 10 : 64 << 20)
                .options(Map.of(
                        "checkpoint_interval_ms",
                        gap,
                        "evict_period_ms",
                        "5",
                        "evict_checkpoint_gap_ms",
                        background ? "300" : "3600000"))
                .build();
    }

    /** The unique key writer {@code w} inserts in its {@code i}-th commit of round {@code round}. */
    static long unique(int round, int w, long i) {
        return WRITERS * HOT + round * 100_000_000L + w * 10_000_000L + i;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        StrataEngine engine = StrataEngine.open(config(dir, true));
        TableHandle t = engine.table("T").orElseGet(() -> engine.createTable(T, true));
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread th = new Thread(() -> {
                try (Session s = engine.openSession()) {
                    for (long i = 0; ; i++) {
                        long u = unique(round, writer, i);
                        long hot = writer * (long) HOT + (i * 7) % HOT;
                        long value = round * 100_000_000L + i;
                        Transaction tx = s.begin();
                        tx.insert(t, new Object[] {u, value, PAD});
                        tx.upsert(t, new Object[] {hot, value, PAD});
                        tx.commit();
                        synchronized (out) {
                            out.println("ACK " + u + " " + hot + " " + value);
                            out.flush();
                        }
                    }
                }
            });
            th.setDaemon(true);
            th.start();
        }
        while (true) {
            Thread.sleep(100);
            CacheStats st = engine.cacheStats();
            synchronized (out) {
                out.println("STATS " + st.evictions() + " " + st.reads());
                out.flush();
            }
        }
    }
}
