package io.stratadb.engine.pagelog.file;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
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

    private final Thread thread;
    private volatile boolean stopped;

    /**
     * Starts the thread for {@code writer}: a step runs while {@code usable} (open, not failed, an epoch
     * claimed), takes {@code dirLock}, checks {@code ownsEpoch} there, writes one piece of zeros ({@link
     * SegmentWriter#extendLocked()}) and forces it after releasing the lock.
     */
    Preallocator(
            String name,
            BooleanSupplier usable,
            BooleanSupplier ownsEpoch,
            DirectoryLock dirLock,
            SegmentWriter writer) {
        thread = new Thread(() -> loop(usable, ownsEpoch, dirLock, writer), "strata-prealloc " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** One step; false if there was nothing to do (or the writer is gone or fenced). */
    private static boolean step(
            BooleanSupplier usable, BooleanSupplier ownsEpoch, DirectoryLock dirLock, SegmentWriter writer)
            throws IOException {
        if (!usable.getAsBoolean()) {
            return false;
        }
        FileChannel written;
        dirLock.lock();
        try {
            if (!usable.getAsBoolean() || !ownsEpoch.getAsBoolean()) {
                return false;
            }
            written = writer.extendLocked();
        } finally {
            dirLock.unlock();
        }
        if (written == null) {
            return false;
        }
        try {
            SegmentWriter.force(written);
        } catch (ClosedChannelException e) {
            // rolled and closed meanwhile (or closing): nothing to force any more
        }
        return true;
    }

    private void loop(BooleanSupplier usable, BooleanSupplier ownsEpoch, DirectoryLock dirLock, SegmentWriter w) {
        while (!stopped) {
            boolean worked;
            try {
                worked = step(usable, ownsEpoch, dirLock, w);
            } catch (IOException | RuntimeException e) {
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
