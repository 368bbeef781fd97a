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
 * The background checkpoint thread: runs a checkpoint every {@code checkpoint_interval_ms} milliseconds, or sooner
 * once {@code checkpoint_log_records} log records were written since the last one, when the database changed
 * (see {@link CheckpointTrigger}).
 *
 * <p>Options: {@code checkpoint_interval_ms}, default 60000 for databases with a path and 0 for in-memory ones;
 * {@code checkpoint_log_records}, default 8,000,000 with a path and 0 in memory. 0 turns a trigger off; with both
 * off the thread does not start. A failed background checkpoint is logged and retried at the next tick (it
 * changed nothing: see {@link Checkpointer}).
 *
 * <p>Invariants: (1) at most one background checkpoint runs at a time (the executor has one thread, and
 * {@link Checkpointer} serializes with explicit checkpoints); (2) after {@link #close()} returns no background
 * checkpoint runs.
 *
 * <p>Thread safety: thread-safe. Ownership: the engine closes it before closing the page log.
 */
public final class CheckpointScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointScheduler.class);

    /** How often the thread looks at the log's growth when the record trigger is on. */
    static final long POLL_MS = 100;

    private final @Nullable ScheduledExecutorService executor;

    /**
     * Starts the thread if enabled; {@code logLsn} gives the newest log LSN and {@code stableTs} the stable
     * timestamp, so idle databases are not checkpointed again and again (but a database whose stable timestamp
     * moved is: a commit the last checkpoint left out because it was not yet stable belongs in the next); no
     * checkpoint starts while {@code healthy} is false (a failed engine); {@code nanoClock} is the time source.
     */
    public CheckpointScheduler(
            Map<String, String> options,
            boolean hasPath,
            Checkpointer checkpointer,
            LongSupplier logLsn,
            LongSupplier stableTs,
            BooleanSupplier healthy,
            LongSupplier nanoClock) {
        long interval = nonNegative(options, "checkpoint_interval_ms", hasPath ? 60_000 : 0, "a number of ms");
        long records = nonNegative(options, "checkpoint_log_records", hasPath ? 8_000_000 : 0, "a record count");
        if (interval == 0 && records == 0) {
            executor = null;
            return;
        }
        long poll = records == 0 ? interval : interval == 0 ? POLL_MS : Math.min(interval, POLL_MS);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-checkpoint");
            t.setDaemon(true);
            return t;
        });
        CheckpointTrigger trigger = new CheckpointTrigger(interval, records, nanoClock.getAsLong());
        // the task catches its own failures, so the future carries nothing worth checking
        var unused = executor.scheduleWithFixedDelay(
                () -> {
                    long lsn = logLsn.getAsLong();
                    long stable = stableTs.getAsLong();
                    if (!trigger.due(lsn, stable, nanoClock.getAsLong()) || !healthy.getAsBoolean()) {
                        return;
                    }
                    try {
                        checkpointer.run();
                        // the stable timestamp the checkpoint saw at most, and the log it covered at least
                        trigger.ran(logLsn.getAsLong(), stable, nanoClock.getAsLong());
                    } catch (RuntimeException e) {
                        trigger.failed(nanoClock.getAsLong());
                        LOG.warn(
                                "background checkpoint failed; retrying in {} ms: {}",
                                Math.max(poll, CheckpointTrigger.RETRY_NANOS / 1_000_000),
                                e.toString());
                    }
                },
                poll,
                poll,
                TimeUnit.MILLISECONDS);
    }

    private static long nonNegative(Map<String, String> options, String name, long dflt, String what) {
        String v = options.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "option " + name + "=" + v + " is not " + what, e);
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
