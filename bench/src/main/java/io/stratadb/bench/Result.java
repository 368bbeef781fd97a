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
 */
record Result(String workload, String engine, int threads, double opsPerSec, double p50Micros, double p99Micros) {
    /** Prints this line to standard output and returns it. */
    Result print() {
        System.out.printf(
                java.util.Locale.ROOT,
                "%-20s %-20s %2d thr %12.0f ops/s  p50 %9.2f us  p99 %9.2f us%n",
                workload,
                engine,
                threads,
                opsPerSec,
                p50Micros,
                p99Micros);
        return this;
    }
}
