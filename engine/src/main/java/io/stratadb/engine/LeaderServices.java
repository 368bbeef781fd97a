package io.stratadb.engine;

import io.stratadb.api.CacheStats;
import io.stratadb.api.Durability;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.engine.cache.CacheManager;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.checkpoint.CheckpointLoader;
import io.stratadb.engine.checkpoint.CheckpointScheduler;
import io.stratadb.engine.checkpoint.Checkpointer;
import io.stratadb.engine.checkpoint.CrashPoint;
import io.stratadb.engine.checkpoint.RedoWindow;
import io.stratadb.engine.checkpoint.Turtle;
import io.stratadb.engine.log.CommitLog;
import io.stratadb.engine.log.LogPublisher;
import io.stratadb.engine.reconcile.ReconcileOptions;
import io.stratadb.engine.txn.TxnManager;
import org.jspecify.annotations.Nullable;

/**
 * The background machinery only a leader runs: the checkpointer and its scheduler, the cache's evictor, and (in
 * {@code durability=none}) the publisher that flushes the commit log for followers.
 *
 * <p>Invariants: (1) built when a node becomes leader (open or step-up) and stopped when it stops leading
 * (step-down, deposition, close); (2) after {@link #stop()} no background thread of it writes to the page log;
 * (3) the checkpointer outlives {@link #stop()}, so a step-down can still run its final checkpoint.
 *
 * <p>Thread safety: thread-safe; {@link #stop()} may be called more than once and from any thread.
 */
final class LeaderServices {
    private final Checkpointer checkpointer;
    private final CheckpointScheduler scheduler;
    private final CacheManager cache;
    private final @Nullable LogPublisher publisher;

    /** What the leader's services are built from. */
    record Inputs(
            EngineConfig config,
            PageLog pageLog,
            Catalog catalog,
            TxnManager txns,
            RedoWindow redo,
            @Nullable Turtle turtle,
            ReconcileOptions reconcileOptions,
            CrashPoint crashPoint,
            boolean ephemeral) {}

    /** Starts the services of a leader whose commit log is {@code log}, from checkpoint {@code loaded} (or none). */
    LeaderServices(Inputs in, CommitLog log, CheckpointLoader.@Nullable Loaded loaded) {
        EngineConfig config = in.config();
        TxnManager txns = in.txns();
        Checkpointer c = new Checkpointer(
                in.pageLog(),
                in.catalog(),
                txns,
                in.redo(),
                in.turtle(),
                in.reconcileOptions(),
                in.crashPoint(),
                loaded);
        this.checkpointer = c;
        this.scheduler = new CheckpointScheduler(
                config.options(),
                config.path() != null,
                c,
                in.pageLog()::lastLsn,
                () -> txns.timestamps().stable(),
                () -> log.failure() == null,
                System::nanoTime);
        this.cache = new CacheManager(
                config.cacheBytes(),
                in.catalog()::entries,
                (id, tree, want) -> {
                    txns.horizon().refresh();
                    return c.evict(id, tree, want);
                },
                () -> {
                    if (log.failure() == null) {
                        c.run();
                    }
                },
                System::currentTimeMillis,
                CacheManager.periodMs(config.options()),
                CacheManager.checkpointGapMs(config.options()));
        cache.start(config.nodeId());
        if (config.durability() == Durability.NONE && !in.ephemeral()) {
            long ms = Long.parseLong(config.options().getOrDefault("publish_interval_ms", "5"));
            this.publisher = new LogPublisher(log, ms, config.nodeId());
        } else {
            this.publisher = null;
        }
    }

    Checkpointer checkpointer() {
        return checkpointer;
    }

    CacheStats cacheStats() {
        return cache.stats();
    }

    /** Stops the background threads (the checkpointer stays usable for an explicit final checkpoint). */
    void stop() {
        cache.close();
        scheduler.close();
        if (publisher != null) {
            publisher.close();
        }
    }
}
