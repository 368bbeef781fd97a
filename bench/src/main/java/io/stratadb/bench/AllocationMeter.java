package io.stratadb.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap bytes allocated by the measuring threads of one benchmark line, where the JVM counts them per thread
 * (HotSpot does): each thread reads {@link #allocatedByThisThread()} at its first measured operation and reports
 * what it allocated since with {@link #addSince}; {@link #perOp} divides the total by the operations measured.
 * Allocation by other threads (the log publisher, the checkpointer, GC) is not counted.
 *
 * <p>Thread safety: thread-safe.
 */
final class AllocationMeter {
    /** What {@link #addSince} takes from a thread that measured no operation. */
    static final long NOT_STARTED = Long.MIN_VALUE;

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean unmeasured = new AtomicBoolean();

    /** The calling thread's allocated bytes so far, or -1 when the JVM does not count them. */
    static long allocatedByThisThread() {
        if (THREADS instanceof com.sun.management.ThreadMXBean mx && mx.isThreadAllocatedMemorySupported()) {
            return mx.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }

    /** Adds what the calling thread allocated since it read {@code from} ({@link #NOT_STARTED}: nothing measured). */
    void addSince(long from) {
        long to = allocatedByThisThread();
        if (from < 0 || to < 0) {
            unmeasured.set(true); // not counted by this JVM, or no operation was measured
        } else {
            bytes.addAndGet(to - from);
        }
    }

    /** Bytes per operation over {@code ops} operations, or -1 when some thread could not be measured. */
    double perOp(long ops) {
        return unmeasured.get() || ops == 0 ? -1 : (double) bytes.get() / ops;
    }
}
