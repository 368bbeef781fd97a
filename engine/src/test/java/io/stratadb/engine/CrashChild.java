package io.stratadb.engine;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link CrashTest}: four writer threads commit two-row transactions with durability fsync and
 * print one {@code ACK round thread seq} line per acknowledged commit, until the parent kills the process.
 *
 * <p>Thread safety: the print stream is shared; each line is printed and flushed under its lock.
 */
public final class CrashChild {
    static final TableSchema CRASH = new TableSchema(
            "CRASH",
            List.of(
                    new ColumnDef("K", ColumnType.BIGINT, 0, 0, false, null),
                    ColumnDef.of("ROUND", ColumnType.INTEGER),
                    ColumnDef.of("PAD", ColumnType.VARCHAR)),
            List.of(0));

    private CrashChild() {}

    static long key(int round, int thread, int seq, int half) {
        return (((long) round * 16 + thread) * 10_000_000L + seq) * 2 + half;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Engine engine = StrataEngine.open(
                EngineConfig.builder().path(dir).durability(Durability.FSYNC).build());
        TableHandle t = engine.createTable(CRASH, true);
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        for (int th = 0; th < 4; th++) {
            int thread = th;
            Thread w = new Thread(() -> {
                try (Session s = engine.openSession()) {
                    for (int seq = 0; ; seq++) {
                        Transaction tx = s.begin();
                        tx.insert(t, new Object[] {key(round, thread, seq, 0), round, "a".repeat(seq % 50)});
                        tx.insert(t, new Object[] {key(round, thread, seq, 1), round, "b"});
                        tx.commit();
                        synchronized (out) {
                            out.println("ACK " + round + " " + thread + " " + seq);
                            out.flush();
                        }
                    }
                }
            });
            w.start();
        }
        Thread.sleep(60_000); // the parent kills us long before this
        System.exit(3);
    }
}
