package io.stratadb.samples;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProvider;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.TimestampKind;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.Transaction;
import io.stratadb.api.TransactionOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A tour of the engine's timestamps through the provider SPI, on a database in {@code ./strata-timetravel} (or
 * the directory given as the first argument) whose application assigns every timestamp: commits at chosen
 * timestamps, reads as of a past timestamp, a prepared transaction (what XA's first phase leaves behind) that
 * readers conflict with, its commit with a separate durable timestamp, rollback to stable, and the history
 * still there after a checkpoint and a restart. Each step prints what it read; see the site's "Timestamps"
 * page for the rules.
 */
public final class TimeTravel {
    private static final TableSchema PRICES = new TableSchema(
            "PRICES",
            List.of(
                    new ColumnDef("ITEM", ColumnType.VARCHAR, 0, 0, false, null),
                    ColumnDef.of("CENTS", ColumnType.BIGINT)),
            List.of(0));

    private TimeTravel() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "strata-timetravel").toAbsolutePath();
        StorageProvider provider = StorageProviders.get("strata");
        EngineConfig config = EngineConfig.builder()
                .path(dir)
                .timestamps(TimestampMode.APPLICATION)
                .build();
        try (Engine engine = provider.open(config);
                Session session = engine.openSession()) {
            if (engine.table("PRICES").isPresent()) {
                System.out.println("Database " + dir + " already holds the tour; remove it to run it again.");
                return;
            }
            TableHandle prices = engine.createTable(PRICES, false);

            System.out.println(
                    "1. Commits at timestamps 10 and 20; reads as of a timestamp see what was committed by then.");
            put(session, prices, 100, 10);
            put(session, prices, 120, 20);
            System.out.println(
                    "   as of 15: " + read(session, prices, 15) + ", as of 25: " + read(session, prices, 25));

            System.out.println(
                    "2. Oldest 10 and stable 20: history back to 10 stays readable, 20 is what a restart keeps.");
            engine.setTimestamp(TimestampKind.STABLE, 20); // first: oldest may never pass stable
            engine.setTimestamp(TimestampKind.OLDEST, 10);
            try {
                engine.setTimestamp(TimestampKind.STABLE, 15);
            } catch (StrataException e) {
                System.out.println("   moving stable back is refused: SQLSTATE " + e.sqlState());
            }

            System.out.println("3. A transaction prepares at 30 (the first phase of a two-phase commit).");
            Transaction prepared = session.begin();
            prepared.upsert(prices, new Object[] {"apple", 150L});
            prepared.prepare(30, new GlobalTxnId(1, "tour".getBytes(StandardCharsets.UTF_8), new byte[] {1}));
            try (Session other = engine.openSession()) {
                try {
                    read(other, prices, 0);
                } catch (StrataException e) {
                    System.out.println("   a reader of the latest data meets it: " + e.code() + ", SQLSTATE "
                            + e.sqlState() + (e.retryable() ? " (retry later)" : ""));
                }
                System.out.println("   as of 25 (before the prepare): " + read(other, prices, 25));
                Transaction ignoring = other.begin(new TransactionOptions(0, true, true));
                System.out.println("   a reader that ignores prepared updates: " + cents(ignoring, prices));
                ignoring.commit();
            }

            System.out.println("4. The prepared transaction commits at 30, durable at 35.");
            prepared.commit(30, 35);
            System.out.println("   as of 30: " + read(session, prices, 30) + ", all durable: "
                    + engine.timestamps().allDurable());

            System.out.println("5. A mistaken price is committed at 40; stable moves to 35; rollback to stable.");
            put(session, prices, 999, 40);
            engine.setTimestamp(TimestampKind.STABLE, 35);
            System.out.println("   before: " + read(session, prices, 0));
            engine.rollbackToStable();
            System.out.println("   after: " + read(session, prices, 0));

            engine.checkpoint();
        }

        System.out.println("6. After a checkpoint and a restart the history back to oldest is still there.");
        try (Engine engine = provider.open(config);
                Session session = engine.openSession()) {
            TableHandle prices = engine.table("PRICES").orElseThrow();
            System.out.println("   latest: " + read(session, prices, 0) + ", as of 25: " + read(session, prices, 25)
                    + ", as of 15: " + read(session, prices, 15));
            System.out.println("Database directory: " + dir);
        }
    }

    private static void put(Session session, TableHandle prices, long cents, long commitTs) {
        Transaction tx = session.begin();
        tx.upsert(prices, new Object[] {"apple", cents});
        tx.commit(commitTs, 0); // durable 0: the same as the commit timestamp
    }

    /** The price of an apple as of {@code ts} (0: the latest). */
    private static Object read(Session session, TableHandle prices, long ts) {
        try (Transaction tx = session.begin(new TransactionOptions(ts, false, true))) {
            Object cents = cents(tx, prices);
            tx.commit();
            return cents;
        }
    }

    private static Object cents(Transaction tx, TableHandle prices) {
        Object[] row = tx.get(prices, new Object[] {"apple"});
        return row == null ? "(none)" : row[1];
    }
}
