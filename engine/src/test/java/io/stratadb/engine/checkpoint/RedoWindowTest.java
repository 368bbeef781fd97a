package io.stratadb.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Where replay must start after a checkpoint: never after a commit or prepare the checkpoint misses. */
class RedoWindowTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());

    @Test
    void replayStartsAtOrBeforeTheFirstCommitACheckpointMissesAndForgetsCoveredRuns() {
        RedoWindow w = new RedoWindow();
        for (long lsn = 1; lsn <= 1000; lsn++) {
            w.committed(lsn, lsn * 10);
        }
        long from = w.replayFrom(600, 6000);
        assertTrue(from <= 601 && from > 601 - RedoWindow.RUN, "from " + from);
        assertEquals(1001, w.replayFrom(1000, 10_000));
        assertEquals(0, w.size(), "everything covered is forgotten");
    }

    @Test
    void aCommitDurableAfterTheCheckpointKeepsItsRunEvenBelowThePoint() {
        RedoWindow w = new RedoWindow();
        for (long lsn = 1; lsn <= 600; lsn++) {
            w.committed(lsn, lsn == 300 ? 1_000_000 : lsn);
        }
        assertTrue(w.replayFrom(600, 600) <= 300);
        assertTrue(w.replayFrom(600, 600) <= 300, "kept until a checkpoint covers it");
        assertEquals(601, w.replayFrom(600, 1_000_000));
    }

    @Test
    void preparedTransactionsAreKeptUntilResolvedIntoACheckpoint() {
        RedoWindow w = new RedoWindow();
        w.committed(1, 1);
        w.prepared(7, 2);
        w.committed(3, 3);
        assertEquals(2, w.replayFrom(3, 3), "the unresolved prepare");
        w.resolved(7, 4, 50);
        assertEquals(2, w.replayFrom(4, 49), "resolved durable after the checkpoint");
        assertEquals(5, w.replayFrom(4, 50));
        w.committed(6, 60);
        w.rolledBackToStable();
        assertEquals(0, w.size());
    }

    @Test
    void randomWindowsNeverStartAfterAMissedRecord() {
        Random r = new Random(SEED);
        RedoWindow w = new RedoWindow();
        java.util.TreeMap<Long, Long> missed = new java.util.TreeMap<>(); // lsn -> durable, exact model
        long lsn = 0;
        long point = 0;
        long ts = 0;
        for (int round = 0; round < 50; round++) {
            int n = r.nextInt(700);
            for (int i = 0; i < n; i++) {
                lsn += 1 + r.nextInt(3);
                long durable = ts + r.nextInt(1000);
                w.committed(lsn, durable);
                missed.put(lsn, durable);
            }
            point = Math.max(point, lsn - r.nextInt(50));
            ts += r.nextInt(800);
            final long p = point;
            final long t = ts;
            missed.entrySet().removeIf(e -> e.getKey() <= p && e.getValue() <= t);
            long exact = missed.isEmpty() ? point + 1 : Math.min(point + 1, missed.firstKey());
            long from = w.replayFrom(point, ts);
            assertTrue(from <= exact, "replay from " + from + " skips LSN " + exact + ", seed=" + SEED);
        }
    }
}
