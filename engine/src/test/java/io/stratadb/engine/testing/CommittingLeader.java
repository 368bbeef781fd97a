package io.stratadb.engine.testing;

import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.TableHandle;
import io.stratadb.api.Transaction;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The leader JVM that {@link LeaderJvm} starts: opens a leader (node {@value #NODE}) in {@code args[0]} on the
 * page log {@code args[1]} (any scheme), creates table {@value #TABLE} ({@link Rows#schema}), prints {@code
 * READY}, then three threads commit durably, one new key each, and print {@code ACK key} after each commit
 * returned, until the parent kills the process. A background checkpoint runs every 300 ms, so the kill may land
 * in any step of a checkpoint.
 *
 * <p>Invariants: a key is printed only after its commit was acknowledged; keys are unique ({@code thread *
 * 10,000,000 + sequence}).
 *
 * <p>Thread safety: a process entry point; its threads share {@code out} under its monitor.
 */
public final class CommittingLeader {
    /** The table the leader writes. */
    public static final String TABLE = "T";

    /** The leader's node id. */
    public static final String NODE = "old-leader";

    private CommittingLeader() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Engine engine = StorageProviders.get("strata")
                .open(EngineConfig.builder()
                        .path(Path.of(args[0]))
                        .pageLog(URI.create(args[1]))
                        .role(Role.LEADER)
                        .nodeId(NODE)
                        .durability(Durability.FSYNC)
                        .options(Map.of("checkpoint_interval_ms", "300"))
                        .build());
        TableHandle t = engine.createTable(Rows.schema(TABLE), true);
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        for (int th = 0; th < 3; th++) {
            int thread = th;
            new Thread(() -> {
                        try (Session s = engine.openSession()) {
                            for (int seq = 0; ; seq++) {
                                int key = thread * 10_000_000 + seq;
                                Transaction tx = s.begin();
                                tx.insert(t, new Object[] {key, "v" + seq});
                                tx.commit();
                                synchronized (out) {
                                    out.println("ACK " + key);
                                    out.flush();
                                }
                            }
                        }
                    })
                    .start();
        }
        Thread.sleep(120_000); // the parent kills us long before this
        System.exit(3);
    }
}
