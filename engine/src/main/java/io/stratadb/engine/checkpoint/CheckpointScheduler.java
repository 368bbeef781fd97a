package io.stratadb.engine.checkpoint;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background checkpoint thread: runs a checkpoint every {@code checkpoint_interval_ms} milliseconds when
 * the log has grown since the last one.
 *
 * <p>Option {@code checkpoint_interval_ms}: 0 turns it off; the default is 60000 for databases with a path and
 * 0 for in-memory ones. A failed background checkpoint is logged and retried at the next tick (it changed
 * nothing: see {@link Checkpointer}).
 *
 * <p>Invariants: (1) at most one background checkpoint runs at a time (the executor has one thread, and
 * {@link Checkpointer} serializes with explicit checkpoints); (2) after {@link #close()} returns no background
 * checkpoint runs.
 *
 * <p>Thread safety: thread-safe. Ownership: the engine closes it before closing the page log.
 */
public final class CheckpointScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointScheduler.class);

    private final @Nullable ScheduledExecutorService executor;

    /**
     * Starts the thread if enabled; {@code logLsn} gives the newest log LSN and {@code stableTs} the stable
     * timestamp, so idle databases are not checkpointed again and again (but a database whose stable timestamp
     * moved is: a commit the last checkpoint left out because it was not yet stable belongs in the next); no
     * checkpoint starts while {@code healthy} is false (a failed engine).
     */
    public CheckpointScheduler(
            Map<String, String> options,
            boolean hasPath,
            Checkpointer checkpointer,
            LongSupplier logLsn,
            LongSupplier stableTs,
            BooleanSupplier healthy) {
        long interval = interval(options, hasPath);
        if (interval <= 0) {
            executor = null;
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-checkpoint");
            t.setDaemon(true);
            return t;
        });
        long[] lastLsn = {0};
        long[] lastStable = {-1};
        // the task catches its own failures, so the future carries nothing worth checking
        var unused = executor.scheduleWithFixedDelay(
                () -> {
                    long lsn = logLsn.getAsLong();
                    long stable = stableTs.getAsLong();
                    if ((lsn == lastLsn[0] && stable == lastStable[0]) || !healthy.getAsBoolean()) {
                        return;
                    }
                    try {
                        checkpointer.run();
                        lastLsn[0] = logLsn.getAsLong();
                        lastStable[0] = stable; // the stable timestamp the checkpoint saw at most
                    } catch (RuntimeException e) {
                        LOG.warn("background checkpoint failed; retrying in {} ms: {}", interval, e.toString());
                    }
                },
                interval,
                interval,
                TimeUnit.MILLISECONDS);
    }

    private static long interval(Map<String, String> options, boolean hasPath) {
        String v = options.get("checkpoint_interval_ms");
        if (v == null) {
            return hasPath ? 60_000 : 0;
        }
        try {
            long ms = Long.parseLong(v.trim());
            if (ms < 0) {
                throw new NumberFormatException("negative");
            }
            return ms;
        } catch (NumberFormatException e) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT, "option checkpoint_interval_ms=" + v + " is not a number of ms", e);
        }
    }

    /** Whether the background thread runs. */
    public boolean enabled() {
        return executor != null;
    }

    @Override
    public void close() {
        ScheduledExecutorService ex = executor;
        if (ex == null) {
            return;
        }
        ex.shutdown(); // no interrupt: a running checkpoint finishes (interrupts would close its file channels)
        try {
            if (!ex.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("the background checkpoint did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
