package io.stratadb.pagelog.bookkeeper.sweep;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.pagelog.bookkeeper.meta.EpochState;
import io.stratadb.pagelog.bookkeeper.meta.LedgerRef;
import io.stratadb.pagelog.bookkeeper.meta.Manifest;
import io.stratadb.pagelog.bookkeeper.meta.MetadataStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.bookkeeper.client.BKException;
import org.apache.bookkeeper.client.BookKeeper;
import org.apache.bookkeeper.client.BookKeeperAdmin;
import org.apache.bookkeeper.client.api.LedgerMetadata;
import org.apache.bookkeeper.versioning.Versioned;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweeper of one page log instance: while the instance is the leader, it lists the cluster's ledgers, reads
 * their tags, and deletes those of this page log that {@link SweepRule} proves leaked (the class header there
 * holds the safety argument).
 *
 * <p>A sweep runs on the sweeper's own thread right after the leader's claim (so it never delays a step-up) and
 * then every {@code intervalMs} (0: only after a claim). A sweep that finds the epoch moved past its claim stops the
 * periodic runs: the newer leader sweeps. Ledger tags are cached by id (they never change) and ids of other page
 * logs are remembered, so a periodic sweep reads metadata only for ledgers created since the previous one.
 *
 * <p>Invariants: (1) only ledgers of {@link SweepRule#leaked} and ledgers handed to {@link #deleteLater} are ever
 * deleted; (2) the manifest a decision uses is read after listing, through {@link
 * MetadataStore#readManifestAfter}; (3) sweeps never overlap (one thread).
 *
 * <p>Thread safety: thread-safe; {@code tags} and {@code foreign} are confined to the sweep thread. Ownership: the
 * page log closes it; it does not own the BookKeeper client or the metadata store.
 */
public final class LedgerSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerSweeper.class);
    private static final long METADATA_TIMEOUT_S = 30;
    private static final int BATCH = 256;

    private final BookKeeper bk;
    private final MetadataStore meta;
    private final String basePath;
    private final String name;
    private final long intervalMs;
    private final ScheduledThreadPoolExecutor thread;

    private volatile @Nullable EpochState claim;
    private volatile @Nullable ScheduledFuture<?> periodic;
    private volatile Runnable afterListing = () -> {};

    /** Confined to the sweep thread: the tags of the ledgers listed so far that belong to some page log. */
    private final Map<Long, LedgerTag> tags = new HashMap<>();

    /** Confined to the sweep thread: listed ledgers that no page log created (no tag). */
    private final Set<Long> foreign = new HashSet<>();

    /** Ledgers this instance's reclaims dropped from the manifest but failed to delete. */
    private final Set<Long> retry = ConcurrentHashMap.newKeySet();

    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong swept = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * A sweeper for the page log at {@code basePath}; {@code name} labels its log lines and thread.
     *
     * @param intervalMs the period of sweeps after a claim; 0 sweeps only after each claim
     */
    public LedgerSweeper(BookKeeper bk, MetadataStore meta, String basePath, String name, long intervalMs) {
        this.bk = bk;
        this.meta = meta;
        this.basePath = basePath;
        this.name = name;
        this.intervalMs = intervalMs;
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "strata-bk-sweep " + basePath);
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
    }

    /** Starts sweeping for {@code claimed}, the epoch this instance just claimed: one sweep now, then periodic. */
    public synchronized void start(EpochState claimed) {
        claim = claimed;
        ScheduledFuture<?> before = periodic;
        if (before != null) {
            before.cancel(false);
        }
        if (thread.isShutdown()) {
            return;
        }
        periodic = intervalMs > 0
                ? thread.scheduleWithFixedDelay(this::sweepQuietly, 0, intervalMs, TimeUnit.MILLISECONDS)
                : thread.schedule(this::sweepQuietly, 0, TimeUnit.MILLISECONDS);
    }

    /**
     * Remembers that this instance's reclaim removed {@code ledgerId} from the manifest (the write succeeded) but
     * could not delete it; it is deleted on the sweep thread soon, and retried at each sweep until it is gone.
     */
    public void deleteLater(long ledgerId) {
        retry.add(ledgerId);
        try {
            var unused = thread.schedule(this::retryQuietly, 1, TimeUnit.SECONDS); // retryQuietly catches all
        } catch (RejectedExecutionException closed) {
            // closed: the next leader's sweep finds the ledger (its tag's epoch is below the next claim)
        }
    }

    /** Runs a sweep now on the sweep thread and returns the ledgers it deleted (for tests and diagnostics). */
    public List<SweepRule.Leaked> sweepNow() {
        Future<List<SweepRule.Leaked>> f;
        try {
            f = thread.submit(this::sweep);
        } catch (RejectedExecutionException e) {
            throw new StrataException(ErrorCode.CLOSED, "sweep of " + name + ": the page log is closed", e);
        }
        try {
            return f.get(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException(ErrorCode.IO_ERROR, "sweep of " + name + " interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StrataException se) {
                throw se;
            }
            throw new StrataException(ErrorCode.IO_ERROR, "sweep of " + name + " failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "sweep of " + name + " took over 2 minutes", e);
        }
    }

    /** The counts so far. */
    public SweepStats stats() {
        return new SweepStats(runs.get(), swept.get(), retried.get(), failures.get());
    }

    /** Test hook: runs between listing the ledgers and reading the manifest, on the sweep thread. */
    public void afterListingForTest(Runnable hook) {
        afterListing = hook;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again, so everything is caught; the next run retries
            failures.incrementAndGet();
            LOG.warn("sweep of leaked ledgers of {} failed: {}", name, e.toString());
        }
    }

    /** One sweep: list, read new tags, read the manifest after the claim, delete what the rule allows. */
    private List<SweepRule.Leaked> sweep() {
        try {
            EpochState c = claim;
            if (c == null) {
                return List.of();
            }
            listAndTag();
            afterListing.run();
            Optional<Manifest> m = meta.readManifestAfter(c);
            if (m.isEmpty()) {
                deposed(c);
                return List.of();
            }
            Set<Long> listed =
                    m.get().ledgers().stream().map(LedgerRef::ledgerId).collect(Collectors.toSet());
            List<SweepRule.Leaked> leaked = SweepRule.leaked(basePath, tags, c.epoch(), listed);
            List<SweepRule.Leaked> deleted = new ArrayList<>();
            for (SweepRule.Leaked l : leaked) {
                if (delete(l.ledgerId())) {
                    swept.incrementAndGet();
                    deleted.add(l);
                    LOG.info(
                            "{}: deleted leaked ledger {} of epoch {} (tagged for this page log, below epoch {},"
                                    + " in no manifest since that claim)",
                            name,
                            l.ledgerId(),
                            l.epoch(),
                            c.epoch());
                }
            }
            retryDeletes();
            return deleted;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException(ErrorCode.IO_ERROR, "sweep of " + name + " interrupted", e);
        } finally {
            runs.incrementAndGet();
        }
    }

    private synchronized void deposed(EpochState c) {
        if (c.equals(claim)) {
            claim = null;
            ScheduledFuture<?> p = periodic;
            if (p != null) {
                p.cancel(false);
            }
            LOG.info("{}: epoch {} was superseded; its sweeps stop (the new leader sweeps)", name, c.epoch());
        }
    }

    /**
     * Lists the cluster's ledgers and reads the tag of each one not seen before, {@value #BATCH} metadata reads
     * in flight at a time.
     */
    private void listAndTag() throws InterruptedException {
        Set<Long> now = listLedgers();
        tags.keySet().retainAll(now);
        foreign.retainAll(now);
        List<Long> unknown = now.stream()
                .filter(id -> !tags.containsKey(id) && !foreign.contains(id))
                .sorted()
                .toList();
        for (int from = 0; from < unknown.size(); from += BATCH) {
            List<Long> batch = unknown.subList(from, Math.min(unknown.size(), from + BATCH));
            List<CompletableFuture<Versioned<LedgerMetadata>>> pending = new ArrayList<>(batch.size());
            for (long id : batch) {
                pending.add(bk.getLedgerManager().readLedgerMetadata(id));
            }
            for (int i = 0; i < batch.size(); i++) {
                LedgerTag t = tagOf(batch.get(i), pending.get(i));
                if (t == null) {
                    foreign.add(batch.get(i));
                } else {
                    tags.put(batch.get(i), t);
                }
            }
        }
    }

    private Set<Long> listLedgers() {
        Set<Long> now = new HashSet<>();
        BookKeeperAdmin admin = new BookKeeperAdmin(bk); // borrows bk: its close does not close the client
        try {
            for (Long id : admin.listLedgers()) {
                now.add(id);
            }
            return now;
        } catch (java.io.IOException | RuntimeException e) {
            // the listing's iterator reports ZooKeeper errors as unchecked exceptions
            throw new StrataException(ErrorCode.IO_ERROR, "sweep of " + name + ": cannot list the ledgers: " + e, e);
        } finally {
            try {
                admin.close();
            } catch (BKException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.debug("closing the ledger lister of {}: {}", name, e.toString());
            }
        }
    }

    /** The tag of {@code id} from its metadata read; null if it has none, or if the ledger was deleted meanwhile. */
    private @Nullable LedgerTag tagOf(long id, CompletableFuture<Versioned<LedgerMetadata>> read)
            throws InterruptedException {
        try {
            return LedgerTag.fromCustomMetadata(
                    read.get(METADATA_TIMEOUT_S, TimeUnit.SECONDS).getValue().getCustomMetadata());
        } catch (ExecutionException e) {
            if (isGone(e.getCause())) {
                return null;
            }
            throw new StrataException(
                    ErrorCode.IO_ERROR, "sweep of " + name + ": cannot read the metadata of ledger " + id, e);
        } catch (TimeoutException e) {
            throw new StrataException(
                    ErrorCode.IO_ERROR,
                    "sweep of " + name + ": reading the metadata of ledger " + id + " timed out",
                    e);
        }
    }

    /** Deletes {@code id}; true if this call deleted it, false if it was gone already or the delete failed. */
    private boolean delete(long id) throws InterruptedException {
        try {
            bk.deleteLedger(id);
            tags.remove(id);
            return true;
        } catch (BKException e) {
            if (isGone(e)) {
                tags.remove(id);
                return false;
            }
            failures.incrementAndGet();
            LOG.warn("{}: deleting leaked ledger {} failed ({}); the next sweep retries", name, id, e.getMessage());
            return false;
        }
    }

    private void retryQuietly() {
        try {
            retryDeletes();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.warn("{}: retrying ledger deletions failed: {}", name, e.toString());
        }
    }

    private void retryDeletes() throws InterruptedException {
        for (long id : List.copyOf(retry)) {
            try {
                bk.deleteLedger(id);
                retried.incrementAndGet();
                retry.remove(id);
                LOG.info("{}: deleted ledger {}, which a reclaim had dropped but failed to delete", name, id);
            } catch (BKException e) {
                if (isGone(e)) {
                    retry.remove(id);
                } else {
                    failures.incrementAndGet();
                    LOG.warn("{}: deleting reclaimed ledger {} failed again ({})", name, id, e.getMessage());
                }
            }
        }
    }

    private static boolean isGone(@Nullable Throwable t) {
        return t instanceof BKException.BKNoSuchLedgerExistsException
                || t instanceof BKException.BKNoSuchLedgerExistsOnMetadataServerException;
    }

    /** Stops sweeping: no new sweep starts; one in progress may finish its deletions (they stay safe). */
    @Override
    public synchronized void close() {
        claim = null;
        thread.shutdownNow();
    }
}
