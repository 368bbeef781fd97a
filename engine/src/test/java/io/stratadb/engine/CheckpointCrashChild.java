package io.stratadb.engine;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Durability;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import io.stratadb.engine.checkpoint.CrashPoint;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM of {@link CheckpointCrashTest}: one writer commits two-row transactions (fsync) and prints
 * {@code ACK key hot value} per acknowledged commit, while the main thread runs checkpoints; the second
 * checkpoint stops at the step named by {@code args[1]}, prints {@code AT step} and blocks until the parent
 * kills the process with SIGKILL.
 *
 * <p>Thread safety: the print stream is shared; each line is printed and flushed under its lock.
 */
public final class CheckpointCrashChild {
    static final TableSchema T = new TableSchema(
            "T",
            List.of(new ColumnDef("K", ColumnType.BIGINT, 0, 0, false, null), ColumnDef.of("V", ColumnType.BIGINT)),
            List.of(0));

    /** Keys updated by every round (hot keys); unique keys are above them. */
    static final int HOT = 64;

    private CheckpointCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String haltAt = args[1];
        int round = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        AtomicInteger checkpoints = new AtomicInteger();
        CrashPoint crash = step -> {
            if (step.equals(haltAt) && checkpoints.get() == 1) {
                synchronized (out) {
                    out.println("AT " + step);
                    out.flush();
                }
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        StrataEngine engine = StrataEngine.open(
                EngineConfig.builder().path(dir).durability(Durability.FSYNC).build(),
                System::currentTimeMillis,
                crash);
        TableHandle t = engine.createTable(T, true);
        Thread writer = new Thread(() -> {
            try (Session s = engine.openSession()) {
                for (long i = 0; ; i++) {
                    long unique = HOT + (long) round * 10_000_000L + i;
                    long hot = i % HOT;
                    long value = (long) round * 10_000_000L + i;
                    Transaction tx = s.begin();
                    tx.insert(t, new Object[] {unique, value});
                    tx.upsert(t, new Object[] {hot, value});
                    tx.commit();
                    synchronized (out) {
                        out.println("ACK " + unique + " " + hot + " " + value);
                        out.flush();
                    }
                }
            }
        });
        writer.setDaemon(true);
        writer.start();
        Thread.sleep(300);
        engine.checkpoint();
        checkpoints.incrementAndGet();
        Thread.sleep(300);
        engine.checkpoint();
        synchronized (out) {
            out.println("DONE");
            out.flush();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
