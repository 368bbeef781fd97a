package io.stratadb.bench;

/**
 * One measured line: a workload on one engine with some threads.
 *
 * @param workload workload name
 * @param engine engine name
 * @param threads threads
 * @param opsPerSec operations per second (all threads)
 * @param p50Micros median latency of an operation, microseconds
 * @param p99Micros 99th percentile latency, microseconds
 * @param bytesPerOp heap bytes the measuring threads allocated per operation, or -1 when not measured
 */
record Result(
        String workload,
        String engine,
        int threads,
        double opsPerSec,
        double p50Micros,
        double p99Micros,
        double bytesPerOp) {
    /** A line without an allocation figure. */
    Result(String workload, String engine, int threads, double opsPerSec, double p50Micros, double p99Micros) {
        this(workload, engine, threads, opsPerSec, p50Micros, p99Micros, -1);
    }

    /** Prints this line to standard output and returns it. */
    Result print() {
        System.out.printf(
                java.util.Locale.ROOT,
                "%-20s %-20s %2d thr %12.0f ops/s  p50 %9.2f us  p99 %9.2f us%s%n",
                workload,
                engine,
                threads,
                opsPerSec,
                p50Micros,
                p99Micros,
                bytesPerOp < 0 ? "" : String.format(java.util.Locale.ROOT, "  alloc %7.0f B/op", bytesPerOp));
        return this;
    }
}
