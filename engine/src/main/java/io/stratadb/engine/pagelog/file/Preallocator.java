package io.stratadb.engine.pagelog.file;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread of one writing {@code file:} page log that keeps zero-filled space ahead of the writer:
 * it runs {@link Step}s (each writes one piece of zeros and forces it) until there is nothing to do, then sleeps
 * until {@link #wake()} or a short timeout. Preallocation is never on the commit path: a writer that outruns it
 * simply grows the file, as without preallocation.
 *
 * <p>Invariants: (1) at most one step runs at a time; (2) after {@link #close()} returns no step runs; (3) a step
 * that fails stops preallocation for good (logged) and never fails the log: the writer then appends.
 *
 * <p>Thread safety: thread-safe.
 */
final class Preallocator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Preallocator.class);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** One piece of work. */
    interface Step {
        /** Does one piece of preallocation; false if there was nothing to do (or the writer is gone). */
        boolean run() throws Exception;
    }

    private final Thread thread;
    private volatile boolean stopped;

    Preallocator(String name, Step step) {
        thread = new Thread(() -> loop(step), "strata-prealloc " + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Step step) {
        while (!stopped) {
            boolean worked;
            try {
                worked = step.run();
            } catch (Exception e) {
                LOG.warn("{}: preallocation stopped, the log grows by appending: {}", thread.getName(), e.toString());
                return;
            }
            if (!worked && !stopped) {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        }
    }

    /** Asks for a step soon (cheap: an unpark). */
    void wake() {
        LockSupport.unpark(thread);
    }

    /** Stops the thread and waits for a running step to end (never interrupts it: that would close a channel). */
    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes {@code p} if it is not null. */
    static void closeQuietly(@Nullable Preallocator p) {
        if (p != null) {
            p.close();
        }
    }
}
