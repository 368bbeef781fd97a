package io.stratadb.bench;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the heap by the calling thread so far, where the JVM counts them (HotSpot does): a workload
 * reads it at the start and the end of its measured part to report bytes allocated per operation. Allocation by
 * other threads (the log publisher, the checkpointer, GC) is not counted.
 *
 * <p>Thread safety: thread-safe (stateless).
 */
final class AllocationMeter {
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private AllocationMeter() {}

    /** The calling thread's allocated bytes so far, or -1 when the JVM does not count them. */
    static long allocatedByThisThread() {
        if (THREADS instanceof com.sun.management.ThreadMXBean mx && mx.isThreadAllocatedMemorySupported()) {
            return mx.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }
}
