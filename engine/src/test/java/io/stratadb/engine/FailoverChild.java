package io.stratadb.engine;

import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.Transaction;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The leader JVM of {@link FailoverTest}: opens a leader on {@code args[0]} sharing the page log {@code args[1]},
 * then three threads commit durably and print {@code ACK key} per acknowledged commit until the parent kills the
 * process.
 */
public final class FailoverChild {
    private FailoverChild() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Engine engine = StrataEngine.open(EngineConfig.builder()
                .path(Path.of(args[0]))
                .pageLog(URI.create("file:" + args[1]))
                .role(Role.LEADER)
                .nodeId("old-leader")
                .durability(Durability.FSYNC)
                .options(Map.of("checkpoint_interval_ms", "300"))
                .build());
        TableHandle t = engine.createTable(RolesTest.T, true);
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
