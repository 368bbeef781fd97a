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
 * print one {@code ACK round thread seq} line per acknowledged commit, and a fifth prepares two-row
 * transactions (printing {@code PREPARED round seq}) and then commits the even and rolls back the odd ones
 * ({@code PCOMMIT} / {@code PROLLBACK}), until the parent kills the process.
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

    /** The thread number of the thread that prepares transactions. */
    static final int PREPARER = 9;

    private CrashChild() {}

    static io.stratadb.api.GlobalTxnId xid(int round, int seq) {
        return new io.stratadb.api.GlobalTxnId(
                77, (round + "/" + seq).getBytes(StandardCharsets.UTF_8), new byte[] {1});
    }

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
        Thread prep = new Thread(() -> {
            try (Session s = engine.openSession()) {
                for (int seq = 0; ; seq++) {
                    Transaction tx = s.begin();
                    tx.insert(t, new Object[] {key(round, PREPARER, seq, 0), round, "p"});
                    tx.insert(t, new Object[] {key(round, PREPARER, seq, 1), round, "p"});
                    tx.prepare(0, xid(round, seq));
                    synchronized (out) {
                        out.println("PREPARED " + round + " " + seq);
                        out.flush();
                    }
                    if (seq % 2 == 0) {
                        tx.commit();
                    } else {
                        tx.rollback();
                    }
                    synchronized (out) {
                        out.println((seq % 2 == 0 ? "PCOMMIT " : "PROLLBACK ") + round + " " + seq);
                        out.flush();
                    }
                }
            }
        });
        prep.start();
        Thread.sleep(60_000); // the parent kills us long before this
        System.exit(3);
    }
}
