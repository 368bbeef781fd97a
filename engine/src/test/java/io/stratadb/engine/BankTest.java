package io.stratadb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.KeyRange;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Concurrent transfers between accounts while snapshot readers sum every balance: each snapshot sees the exact
 * total, and no acknowledged transfer is lost (snapshot isolation, first committer wins, retries on 40001).
 */
class BankTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());
    private static final TableSchema BANK = new TableSchema(
            "BANK",
            List.of(new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null), ColumnDef.of("BAL", ColumnType.BIGINT)),
            List.of(0));

    @Test
    void snapshotsAlwaysSeeTheExactTotal() throws Exception {
        int accounts = 20;
        try (Engine e = StrataEngine.open(EngineConfig.inMemory())) {
            TableHandle t = e.createTable(BANK, false);
            try (Session s = e.openSession()) {
                Transaction init = s.begin();
                for (int i = 0; i < accounts; i++) {
                    init.insert(t, new Object[] {i, 1000L});
                }
                init.commit();
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong transfers = new AtomicLong();
            AtomicLong retries = new AtomicLong();
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Random r = new Random(SEED + w);
                threads.add(new Thread(() -> {
                    try (Session s = e.openSession()) {
                        for (int n = 0; n < 3000; n++) {
                            int a = r.nextInt(accounts);
                            int b = (a + 1 + r.nextInt(accounts - 1)) % accounts;
                            long amount = r.nextInt(50);
                            while (true) {
                                Transaction tx = s.begin();
                                try {
                                    long ba = (Long) Objects.requireNonNull(tx.get(t, new Object[] {a}))[1];
                                    long bb = (Long) Objects.requireNonNull(tx.get(t, new Object[] {b}))[1];
                                    tx.update(t, new Object[] {a, ba - amount});
                                    tx.update(t, new Object[] {b, bb + amount});
                                    tx.commit();
                                    transfers.incrementAndGet();
                                    break;
                                } catch (StrataException x) {
                                    if (!x.retryable()) {
                                        throw x;
                                    }
                                    retries.incrementAndGet();
                                    tx.close();
                                }
                            }
                        }
                    } catch (Throwable x) {
                        errors.add(x.toString());
                    }
                }));
            }
            for (int rd = 0; rd < 2; rd++) {
                threads.add(new Thread(() -> {
                    try (Session s = e.openSession()) {
                        while (!stop.get()) {
                            Transaction tx = s.begin();
                            long sum = 0;
                            int rows = 0;
                            Cursor c = tx.cursor(t, KeyRange.all());
                            while (c.next()) {
                                sum += (Long) c.row()[1];
                                rows++;
                            }
                            tx.commit();
                            if (sum != 1000L * accounts || rows != accounts) {
                                errors.add("snapshot saw " + rows + " rows summing to " + sum);
                            }
                        }
                    } catch (Throwable x) {
                        errors.add(x.toString());
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (int i = 0; i < 4; i++) {
                threads.get(i).join();
            }
            stop.set(true);
            for (Thread th : threads) {
                th.join();
            }
            assertTrue(errors.isEmpty(), errors + " seed=" + SEED);
            assertEquals(12_000, transfers.get());
            assertTrue(retries.get() > 0, "concurrent transfers on 20 accounts must conflict sometimes");
        }
    }
}
