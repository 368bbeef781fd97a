package io.stratadb.bench;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A timed run of one operation kind on one store with N threads: warm-up, then measurement.
 *
 * <p>Thread safety: {@link #run} starts and joins its own threads.
 */
final class Workload {
    /** What each operation does. */
    enum Kind {
        POINT_GET,
        INSERT,
        UPDATE,
        SCAN_100,
        DURABLE_UPSERT
    }

    static final int GET_BATCH = 100;
    static final String VALUE = "v".repeat(100);

    private final long rows;
    private final long warmupMillis;
    private final long measureMillis;
    private final AtomicLong nextInsertKey;

    Workload(long rows, long warmupMillis, long measureMillis) {
        this(rows, warmupMillis, measureMillis, rows + 1_000_000_000L);
    }

    /** A workload whose inserts use keys from {@code insertFrom} on (keep two workloads on one store apart). */
    Workload(long rows, long warmupMillis, long measureMillis, long insertFrom) {
        this.rows = rows;
        this.warmupMillis = warmupMillis;
        this.measureMillis = measureMillis;
        this.nextInsertKey = new AtomicLong(insertFrom);
    }

    Result run(KvStore store, Kind kind, int threads) throws InterruptedException {
        AtomicLong ops = new AtomicLong();
        AllocationMeter allocated = new AllocationMeter();
        LatencySampler[] samplers = new LatencySampler[threads];
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        long measureFrom = start + warmupMillis * 1_000_000L;
        long end = measureFrom + measureMillis * 1_000_000L;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            LatencySampler sampler = new LatencySampler();
            samplers[t] = sampler;
            long seed = 42L + t;
            ts[t] = new Thread(() -> {
                try (KvStore.Worker w = store.worker()) {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    long[] keys = new long[GET_BATCH];
                    long counted = 0;
                    long allocFrom = AllocationMeter.NOT_STARTED;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        if (allocFrom == AllocationMeter.NOT_STARTED && t0 >= measureFrom) {
                            allocFrom = AllocationMeter.allocatedByThisThread();
                        }
                        int n = once(w, kind, rnd, keys);
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom) {
                            counted += n;
                            sampler.add((t1 - t0) / n);
                        }
                    }
                    ops.addAndGet(counted);
                    allocated.addSince(allocFrom);
                } finally {
                    done.countDown();
                }
            });
            ts[t].start();
        }
        done.await();
        double[] p = LatencySampler.percentiles(samplers, 0.50, 0.99);
        return new Result(
                kind.name().toLowerCase(java.util.Locale.ROOT),
                store.name(),
                threads,
                ops.get() * 1000.0 / measureMillis,
                p[0],
                p[1],
                allocated.perOp(ops.get()));
    }

    private int once(KvStore.Worker w, Kind kind, SplittableRandom rnd, long[] keys) {
        switch (kind) {
            case POINT_GET -> {
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = rnd.nextLong(rows);
                }
                w.getBatch(keys);
                return keys.length;
            }
            case INSERT -> w.insert(nextInsertKey.getAndIncrement(), VALUE);
            case UPDATE, DURABLE_UPSERT -> w.update(rnd.nextLong(rows), VALUE);
            case SCAN_100 -> w.scan(rnd.nextLong(Math.max(1, rows - 100)), 100);
        }
        return 1;
    }
}
