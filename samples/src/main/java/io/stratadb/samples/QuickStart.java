package io.stratadb.samples;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.StorageProvider;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.nio.file.Path;
import java.util.List;

/**
 * The quick-start program: finds the {@code strata} engine through {@link java.util.ServiceLoader}, opens a
 * database in {@code ./strata-quickstart} (or the directory given as the first argument), writes a few rows in
 * one transaction and reads them back.
 */
public final class QuickStart {
    private QuickStart() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "strata-quickstart");
        StorageProvider provider = StorageProviders.get("strata");
        System.out.println("Found storage provider '" + provider.name() + "' ("
                + provider.getClass().getName() + ")");
        try (Engine engine = provider.open(EngineConfig.at(dir));
                Session session = engine.openSession()) {
            TableSchema schema = new TableSchema(
                    "GREETINGS",
                    List.of(
                            new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null),
                            ColumnDef.of("TEXT", ColumnType.VARCHAR)),
                    List.of(0));
            TableHandle table = engine.createTable(schema, true);
            try (Transaction tx = session.begin()) {
                tx.upsert(table, new Object[] {1, "hello"});
                tx.upsert(table, new Object[] {2, "from"});
                tx.upsert(table, new Object[] {3, "StrataDB"});
                tx.commit();
            }
            try (Transaction tx = session.begin();
                    Cursor c = tx.cursor(table, KeyRange.all())) {
                while (c.next()) {
                    Object[] row = c.row();
                    System.out.println(row[0] + " -> " + row[1]);
                }
                tx.commit();
            }
            System.out.println("Database directory: " + dir.toAbsolutePath());
        }
    }
}
