package io.stratadb.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.api.Transaction;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A smoke measurement of the hot paths (in-cache point reads, non-durable single-row commits). The bounds are
 * far below the targets (1M reads/s, 300k commits/s) so a loaded CI machine does not fail it; the measured rates
 * are logged.
 */
class HotPathTest {
    static final TableSchema T = new TableSchema(
            "T",
            List.of(new ColumnDef("ID", ColumnType.BIGINT, 0, 0, false, null), ColumnDef.of("V", ColumnType.BIGINT)),
            List.of(0));

    @Test
    void pointReadsAndSmallCommitsAreFast() {
        try (Engine e = StrataEngine.open(EngineConfig.inMemory());
                Session s = e.openSession()) {
            TableHandle t = e.createTable(T, false);
            int rows = 50_000;
            long start = System.nanoTime();
            for (long i = 0; i < rows; i++) {
                Transaction tx = s.begin();
                tx.insert(t, new Object[] {i, i});
                tx.commit();
            }
            double commitsPerSec = rows / ((System.nanoTime() - start) / 1e9);
            Transaction tx = s.begin();
            Object[] key = new Object[1];
            long found = 0;
            int reads = 1_000_000;
            start = System.nanoTime();
            for (int i = 0; i < reads; i++) {
                key[0] = (i * 7919L) % rows;
                if (tx.get(t, key) != null) {
                    found++;
                }
            }
            double readsPerSec = reads / ((System.nanoTime() - start) / 1e9);
            tx.commit();
            LoggerFactory.getLogger(HotPathTest.class)
                    .warn("hot paths: {} single-row commits/s, {} point reads/s", (long) commitsPerSec, (long)
                            readsPerSec);
            assertTrue(found == reads, "every key read back");
            assertTrue(commitsPerSec > 1_000, "commits/s " + commitsPerSec);
            assertTrue(readsPerSec > 10_000, "reads/s " + readsPerSec);
        }
    }
}
