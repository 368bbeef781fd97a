package io.stratadb.engine.log;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a non-durable leader's buffered log records out every few milliseconds, so that followers see its
 * commits soon (with {@code durability=none} no commit waits for a flush, and the page log would otherwise hold
 * records in its buffer until it fills).
 *
 * <p>Invariants: never forces to disk (that is what durable commits pay for); stops for good on {@link
 * #close()} or on the first failure (the commit path reports failures itself).
 *
 * <p>Thread safety: thread-safe; one daemon thread.
 */
public final class LogPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogPublisher.class);

    private final CommitLog log;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean closed;

    public LogPublisher(CommitLog log, long intervalMillis, String name) {
        this.log = log;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, intervalMillis));
        this.thread = new Thread(this::run, "strata-log-publisher-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(this, intervalNanos);
            if (closed) {
                return;
            }
            try {
                log.flush();
            } catch (RuntimeException e) {
                LOG.debug("log publisher stopped", e);
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
