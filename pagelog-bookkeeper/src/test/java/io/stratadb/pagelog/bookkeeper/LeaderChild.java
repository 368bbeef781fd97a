package io.stratadb.pagelog.bookkeeper;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Role;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The leader JVM of {@link SigkillFailoverTest}: opens a leader in {@code args[0]} on the page log {@code
 * args[1]} (a {@code bookkeeper:} URI), then three threads commit durably and print {@code ACK key} per
 * acknowledged commit until the parent kills the process.
 */
public final class LeaderChild {
    static final TableSchema T = new TableSchema(
            "T",
            List.of(new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("V", ColumnType.VARCHAR)),
            List.of(0));

    private LeaderChild() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Engine engine = StorageProviders.get("strata")
                .open(EngineConfig.builder()
                        .path(Path.of(args[0]))
                        .pageLog(URI.create(args[1]))
                        .role(Role.LEADER)
                        .nodeId("old-leader")
                        .durability(Durability.FSYNC)
                        .options(Map.of("checkpoint_interval_ms", "300"))
                        .build());
        TableHandle t = engine.createTable(T, true);
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
