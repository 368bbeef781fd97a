package io.stratadb.engine.pagelog.file;

import java.io.IOException;

/**
 * Runs file I/O with the calling thread's interrupt flag cleared and restores it afterwards. An interrupt closes
 * an NIO {@link java.nio.channels.FileChannel} for every thread that shares it; a cancelled query must not take
 * the page log down with it.
 *
 * <p>Invariants: the interrupt flag is the same after the call as before (or set, if an interrupt arrived).
 *
 * <p>Thread safety: stateless.
 */
final class Uninterruptible {
    /** An I/O call. */
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** An I/O action without a result. */
    interface IoRun {
        void run() throws IOException;
    }

    private Uninterruptible() {}

    static void run(IoRun io) throws IOException {
        call(() -> {
            io.run();
            return Boolean.TRUE;
        });
    }

    static <T> T call(IoCall<T> io) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return io.call();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
