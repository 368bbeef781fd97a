package io.stratadb.pagelog.bookkeeper;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.FencedException;
import io.stratadb.api.pagelog.LeadershipListener;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogTableStats;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import io.stratadb.pagelog.bookkeeper.codec.Entry;
import io.stratadb.pagelog.bookkeeper.codec.EntryCodec;
import io.stratadb.pagelog.bookkeeper.codec.EntryKind;
import io.stratadb.pagelog.bookkeeper.index.ChainRules;
import io.stratadb.pagelog.bookkeeper.index.Location;
import io.stratadb.pagelog.bookkeeper.index.LogIndex;
import io.stratadb.pagelog.bookkeeper.index.LogRef;
import io.stratadb.pagelog.bookkeeper.index.PageVersion;
import io.stratadb.pagelog.bookkeeper.meta.EpochState;
import io.stratadb.pagelog.bookkeeper.meta.LeaderToken;
import io.stratadb.pagelog.bookkeeper.meta.LedgerRef;
import io.stratadb.pagelog.bookkeeper.meta.Manifest;
import io.stratadb.pagelog.bookkeeper.meta.MetadataStore;
import io.stratadb.pagelog.bookkeeper.sweep.LedgerSweeper;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.bookkeeper.client.BKException;
import org.apache.bookkeeper.client.BookKeeper;
import org.apache.bookkeeper.client.LedgerHandle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's instance of a {@code bookkeeper:} page log.
 *
 * <p>Every record is an entry of a BookKeeper ledger; the ledgers, in LSN order, are listed by the ZooKeeper
 * manifest; completions are published in ZooKeeper, guarded by the epoch. Each instance keeps a {@link LogIndex}
 * (LSN to ledger entry, page histories): a writer updates it as it appends, a reader by reading the ledgers up to
 * their last-add-confirmed on each call.
 *
 * <p>Roles: READER (no epoch) --claimEpoch--> WRITER --fenced (epoch watch, failed add, guarded write)--> FENCED
 * (reads like a reader, every write throws {@link FencedException}) --claimEpoch--> WRITER.
 *
 * <p>Invariants: (1) a writer holds the newest epoch and the only open ledger registered in the manifest; (2) a
 * claim recovers (so fences and closes) every ledger of the manifest before registering its own, so a deposed
 * writer's adds fail at the bookies and its metadata writes fail the epoch check; (3) the writer's LSNs are
 * {@code index.maxLsn() + 1}, so they never decrease, across abandon and across claims; (4) a fenced instance
 * drops its index and rebuilds it from the ledgers, so it sees exactly what the new writer sees; (5) a ledger whose
 * registration fails is never deleted here: the next leader's {@link LedgerSweeper} deletes it if it is unlisted.
 *
 * <p>Thread safety: thread-safe. Lock order: {@code lock}, then a {@link WriterSession}'s monitor; waits for
 * BookKeeper acknowledgements in {@link #sync} and {@link #completeCheckpoint} happen outside {@code lock}.
 * Ownership: the opener closes it.
 */
final class BookKeeperPageLog implements PageLog {
    private static final Logger LOG = LoggerFactory.getLogger(BookKeeperPageLog.class);

    private final URI uri;
    private final PageLogUri conf;
    private final PageLogOptions options;
    private final Clients.Lease clients;
    private final MetadataStore meta;
    private final LeadershipSeat seat;
    private final LedgerSweeper sweeper;

    private final LedgerReads reads;
    private final Object lock = new Object();

    @GuardedBy("lock")
    private LogIndex index = new LogIndex();

    @GuardedBy("lock")
    private final LedgerReplay replay;

    @GuardedBy("lock")
    private final CompletionList completions = new CompletionList();

    @GuardedBy("lock")
    private Manifest manifest = Manifest.empty();

    @GuardedBy("lock")
    private @Nullable EpochState mine;

    @GuardedBy("lock")
    private @Nullable WriterSession writer;

    @GuardedBy("lock")
    private @Nullable WriterSession lastSession;

    @GuardedBy("lock")
    private boolean closed;

    private volatile boolean fenced;

    /** Mirrors of {@code closed} and {@code mine.epoch()} for the ZooKeeper watcher thread, which takes no lock. */
    private volatile boolean closedFlag;

    private volatile long claimedEpoch;

    /** Test hook: a writer that misses the epoch watch, as a paused or partitioned leader would. */
    private volatile boolean deafToEpochWatch;

    BookKeeperPageLog(URI uri, PageLogUri conf, PageLogOptions options) {
        this.uri = uri;
        this.conf = conf;
        this.options = options;
        this.clients = Clients.lease(conf);
        try {
            this.meta = new MetadataStore(clients.zk(), conf.basePath());
            this.seat = new LeadershipSeat(new LeaderToken(clients.zk(), conf.basePath(), options.nodeId()));
            this.sweeper = new LedgerSweeper(
                    clients.bk(), meta, conf.basePath(), options.nodeId() + " on " + uri, conf.sweepIntervalMs());
            this.reads = new LedgerReads(clients.bk());
            this.replay = new LedgerReplay(reads);
            meta.ensureCreated();
            synchronized (lock) {
                refreshLocked();
            }
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public PageLogHandle openHandle(long tableId) {
        return new BookKeeperPageLogHandle(this, tableId);
    }

    @Override
    public long lastLsn() {
        synchronized (lock) {
            readView();
            return index.maxLsn();
        }
    }

    // ---- epochs ----

    @Override
    public long currentEpoch() {
        checkOpen();
        return meta.readEpoch().epoch();
    }

    @Override
    public Optional<String> epochOwner() {
        checkOpen();
        EpochState e = meta.readEpoch();
        return e.epoch() == 0 ? Optional.empty() : Optional.of(e.owner());
    }

    @Override
    public long writerEpoch() {
        synchronized (lock) {
            EpochState m = mine;
            return m == null ? 0 : m.epoch();
        }
    }

    @Override
    public long claimEpoch() {
        synchronized (lock) {
            checkOpenLocked();
            // The watch of this instance's previous epoch (if it wrote before) fires on our own claim; it must not
            // take that for another node's claim, so it is retired before the epoch moves.
            long previous = claimedEpoch;
            claimedEpoch = 0;
            EpochState claimed;
            try {
                claimed = meta.claim(options.nodeId());
            } catch (RuntimeException e) {
                claimedEpoch = previous;
                throw e;
            }
            if (writer != null) {
                lastSession = writer;
                writer = null;
            }
            mine = claimed;
            claimedEpoch = claimed.epoch();
            fenced = false;
            try {
                // fence and close every ledger the manifest lists, then read the whole log as it now stands
                Manifest m = meta.readManifest();
                for (LedgerRef r : m.ledgers()) {
                    if (!replay.isSealed(r.ledgerId())) {
                        try {
                            reads.recover(r.ledgerId());
                        } catch (BKException.BKNoSuchLedgerExistsException
                                | BKException.BKNoSuchLedgerExistsOnMetadataServerException gone) {
                            // deleted by a reclaim after its records were rewritten
                        }
                    }
                }
                resetViewLocked();
                refreshLocked();
                long first = index.maxLsn() + 1;
                LedgerHandle lh = reads.createLedger(conf, claimed.epoch());
                // if this write fails, the ledger is left to the next leader's sweep: deleting it here is unsafe,
                // because a failed reply does not prove the write did not commit (sweep.SweepRule)
                manifest = meta.writeManifest(
                        claimed, manifest, manifest.plus(new LedgerRef(claimed.epoch(), lh.getId(), first), first - 1));
                writer = new WriterSession(lh, claimed.epoch(), first);
                long epoch = claimed.epoch();
                meta.watchEpoch(
                        e -> {
                            if (e > epoch && claimedEpoch == epoch && !deafToEpochWatch) {
                                fenced = true;
                            }
                        },
                        () -> fenced || closedFlag || claimedEpoch != epoch);
                sweeper.start(claimed); // in the background: the step-up does not wait for it
                LOG.info("{} claimed epoch {} of {} at LSN {}", options.nodeId(), epoch, uri, first - 1);
                return epoch;
            } catch (BKException e) {
                throw io("claim epoch " + claimed.epoch(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw io("claim epoch " + claimed.epoch(), e);
            } catch (FencedException e) {
                fenced = true;
                throw e;
            }
        }
    }

    // ---- leadership token ----

    @Override
    public void holdLeadership() {
        checkOpen();
        seat.hold();
    }

    @Override
    public boolean tryTakeLeadership() {
        checkOpen();
        return seat.tryTake();
    }

    @Override
    public void releaseLeadership() {
        checkOpen();
        seat.release();
    }

    @Override
    public void watchLeadership(LeadershipListener listener) {
        checkOpen();
        seat.watch(listener, () -> closedFlag);
    }

    // ---- writes ----

    /** Appends a page record after the chain check; returns its LSN. */
    long putPage(long table, long pageId, EntryKind kind, long backlink, long base, byte[] payload) {
        synchronized (lock) {
            WriterSession w = writerLocked();
            if (kind == EntryKind.DISCARD) {
                ChainRules.checkDiscard(table, pageId, index.page(table, pageId), backlink, base);
            } else {
                ChainRules.checkPut(
                        table, pageId, index.page(table, pageId), new PutArgs(backlink, base, kind == EntryKind.DELTA));
            }
            long lsn = index.maxLsn() + 1;
            long entry = w.add(Entry.page(kind, w.epoch(), lsn, table, pageId, backlink, base, payload), payload);
            if (entry < 0) {
                throw failedLocked(w);
            }
            PageRecord.Kind k = LedgerReplay.kindOf(kind);
            index.putPage(
                    table,
                    pageId,
                    new PageVersion(lsn, k, backlink, base, payload.length, new Location(w.ledgerId(), entry)),
                    false);
            maybeRollLocked(w);
            return lsn;
        }
    }

    /** The lock-held view for a handle: the index after a reader refresh. */
    <T> T withIndex(java.util.function.Function<LogIndex, T> f) {
        synchronized (lock) {
            readView();
            return f.apply(index);
        }
    }

    /** The payload of a record at {@code where}. */
    byte[] payload(Location where) {
        WriterSession w;
        synchronized (lock) {
            w = writer;
        }
        if (w != null && w.ledgerId() == where.ledgerId()) {
            byte[] p = w.pendingPayload(where.entryId());
            if (p != null) {
                return p;
            }
        }
        try {
            return EntryCodec.decode(
                            where.ledgerId(), where.entryId(), reads.readOne(where.ledgerId(), where.entryId()))
                    .payload();
        } catch (BKException e) {
            throw io("read ledger " + where.ledgerId() + " entry " + where.entryId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io("read ledger " + where.ledgerId() + " entry " + where.entryId(), e);
        }
    }

    @Override
    public long append(int type, byte[] payload) {
        synchronized (lock) {
            WriterSession w = writerLocked();
            long lsn = index.maxLsn() + 1;
            long entry = w.add(Entry.log(w.epoch(), lsn, type, payload), payload);
            if (entry < 0) {
                throw failedLocked(w);
            }
            index.putLog(new LogRef(lsn, type, payload, new Location(w.ledgerId(), entry)));
            maybeRollLocked(w);
            return lsn;
        }
    }

    @Override
    public void sync(long lsn) {
        WriterSession s;
        synchronized (lock) {
            checkOpenLocked();
            s = writer != null ? writer : lastSession;
            if (s == null) {
                if (mine == null) {
                    throw new StrataException(
                            ErrorCode.INVALID_STATE, "sync on " + uri + " by a node that never claimed an epoch");
                }
                return;
            }
            if (lsn < s.firstLsn()) {
                return; // in an earlier ledger, closed (so durable) before this one was opened
            }
        }
        try {
            int rc = s.awaitLsn(lsn);
            if (rc != BKException.Code.OK) {
                synchronized (lock) {
                    throw failedLocked(s);
                }
            }
            s.makeVisible();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io("sync to LSN " + lsn, e);
        }
    }

    @Override
    public List<LogRecord> readLog(long afterLsn, int max) {
        if (max <= 0) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "readLog of " + uri + " needs max > 0, got " + max);
        }
        synchronized (lock) {
            readView();
            List<LogRecord> out = new ArrayList<>();
            for (LogRef r : index.logsAfter(afterLsn, max)) {
                out.add(new LogRecord(r.lsn(), r.type(), r.payload()));
            }
            return out;
        }
    }

    // ---- checkpoints ----

    @Override
    public CheckpointCompletion completeCheckpoint(long checkpointTimestamp, long oldestTimestamp, byte[] metadata) {
        WriterSession w;
        EpochState ep;
        long lsn;
        synchronized (lock) {
            w = writerLocked();
            ep = java.util.Objects.requireNonNull(mine);
            lsn = index.maxLsn() + 1;
            if (w.add(Entry.completion(w.epoch(), lsn, checkpointTimestamp, oldestTimestamp, metadata), metadata) < 0) {
                throw failedLocked(w);
            }
            index.seen(lsn);
        }
        awaitOrThrow(w, lsn, "checkpoint completion at LSN " + lsn);
        CheckpointCompletion c =
                new CheckpointCompletion(lsn, checkpointTimestamp, oldestTimestamp, ep.epoch(), metadata);
        try {
            meta.addCompletion(ep, c);
        } catch (FencedException e) {
            fenced = true;
            throw e;
        }
        synchronized (lock) {
            completions.put(lsn, c);
            if (writer == w) {
                rollLocked(w);
            }
        }
        return c;
    }

    @Override
    public Optional<CheckpointCompletion> completedCheckpoint(long lsn) {
        if (lsn < 0) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT, "completion selector of " + uri + " must not be negative: " + lsn);
        }
        synchronized (lock) {
            readView();
            return completions.select(lsn);
        }
    }

    @Override
    public List<CheckpointCompletion> completedCheckpoints() {
        synchronized (lock) {
            readView();
            return completions.all();
        }
    }

    @Override
    public void abandonCheckpoint() {
        WriterSession w;
        long entry;
        synchronized (lock) {
            w = writerLocked();
            checkEpochLocked();
            long above = completions.newestLsn();
            if (!index.hasPagesAbove(above)) {
                return;
            }
            entry = w.add(Entry.control(EntryKind.ABANDON, w.epoch(), above), new byte[0]);
            if (entry < 0) {
                throw failedLocked(w);
            }
            index.abandonAbove(above);
        }
        awaitEntryOrThrow(w, entry, "abandon");
    }

    @Override
    public void reclaim(long checkpointLsn) {
        WriterSession w;
        EpochState ep;
        long entry;
        synchronized (lock) {
            w = writerLocked();
            checkEpochLocked();
            ep = java.util.Objects.requireNonNull(mine);
            if (!completions.contains(checkpointLsn)) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        "reclaim at LSN " + checkpointLsn + " of " + uri + ": no completed checkpoint has that LSN");
            }
            entry = w.add(Entry.control(EntryKind.RECLAIM, w.epoch(), checkpointLsn), new byte[0]);
            if (entry < 0) {
                throw failedLocked(w);
            }
            index.reclaim(checkpointLsn);
        }
        awaitEntryOrThrow(w, entry, "reclaim");
        meta.removeCompletionsBelow(ep, checkpointLsn);
        synchronized (lock) {
            completions.dropBelow(checkpointLsn);
            if (writer == w) {
                new LedgerCompactor(this, w).run();
            }
        }
    }

    @Override
    public List<PageLogTableStats> stats() {
        synchronized (lock) {
            readView();
            return index.stats();
        }
    }

    @Override
    public void close() {
        WriterSession w;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            closedFlag = true;
            w = fenced ? null : writer;
            writer = null;
        }
        try {
            if (w != null) {
                w.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sweeper.close();
            seat.close(options.nodeId(), uri);
            reads.close();
            clients.close();
        }
    }

    @Override
    public String toString() {
        return "bookkeeper page log " + uri + " (" + options.nodeId() + ")";
    }

    /** Makes this instance ignore the epoch watch, so only BookKeeper and the guarded writes can fence it. */
    void ignoreEpochWatchForTest() {
        deafToEpochWatch = true;
    }

    /** The ledgers the manifest lists now, oldest first (for tests and diagnostics). */
    List<Long> ledgerIds() {
        synchronized (lock) {
            readView();
            return manifest.ledgers().stream().map(LedgerRef::ledgerId).toList();
        }
    }

    // ---- internals shared with LedgerCompactor and the handle ----

    /** The sweeper of leaked ledgers (its stats and a synchronous sweep serve tests and diagnostics). */
    LedgerSweeper sweeper() {
        return sweeper;
    }

    Object lock() {
        return lock;
    }

    @GuardedBy("lock")
    LogIndex indexLocked() {
        return index;
    }

    @GuardedBy("lock")
    Manifest manifestLocked() {
        return manifest;
    }

    @GuardedBy("lock")
    void manifestWrittenLocked(Manifest m) {
        manifest = m;
    }

    @GuardedBy("lock")
    EpochState epochLocked() {
        return java.util.Objects.requireNonNull(mine);
    }

    MetadataStore meta() {
        return meta;
    }

    BookKeeper bk() {
        return clients.bk();
    }

    LedgerReads reads() {
        return reads;
    }

    PageLogUri conf() {
        return conf;
    }

    @GuardedBy("lock")
    private void readView() {
        checkOpenLocked();
        refreshLocked();
    }

    /** Brings a reader's (or fenced instance's) index up to what the ledgers and ZooKeeper hold now. */
    @GuardedBy("lock")
    private void refreshLocked() {
        if (writer != null && !fenced) {
            return;
        }
        if (writer != null) {
            lastSession = writer;
            writer = null;
            resetViewLocked();
        }
        Manifest m = meta.readManifest();
        try {
            replay.readAll(m, index);
        } catch (BKException e) {
            throw io("read the ledgers", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io("read the ledgers", e);
        }
        completions.refresh(meta, index);
        manifest = m;
        index.seen(m.highLsn());
        if (!completions.isEmpty()) {
            index.seen(completions.newestLsn());
        }
    }

    @GuardedBy("lock")
    private void resetViewLocked() {
        completions.reset();
        index = new LogIndex();
        replay.reset();
    }

    /** The writer session, or the reason this instance may not write. */
    @GuardedBy("lock")
    private WriterSession writerLocked() {
        checkOpenLocked();
        WriterSession w = writer;
        if (w == null || fenced) {
            if (mine == null) {
                throw new StrataException(
                        ErrorCode.INVALID_STATE,
                        "write to " + uri + " by " + options.nodeId() + ", which has not claimed an epoch");
            }
            throw fencedLocked();
        }
        if (w.failure() != BKException.Code.OK) {
            throw failedLocked(w);
        }
        return w;
    }

    /** Verifies with ZooKeeper that this instance still holds the newest epoch. */
    @GuardedBy("lock")
    private void checkEpochLocked() {
        EpochState now = meta.readEpoch();
        EpochState m = java.util.Objects.requireNonNull(mine);
        if (now.version() != m.version()) {
            fenced = true;
            throw fencedLocked();
        }
    }

    /** The exception for a failed session: fenced if BookKeeper fenced the ledger or the epoch moved. */
    @GuardedBy("lock")
    private StrataException failedLocked(WriterSession w) {
        int rc = w.failure();
        EpochState now = meta.readEpoch();
        EpochState m = mine;
        if (rc == BKException.Code.LedgerFencedException
                || rc == BKException.Code.OK
                || (m != null && now.version() != m.version())) {
            fenced = true;
            // the new owner's ledger recovery keeps any entry that reached a bookie, though our add failed
            return fencedLocked(true);
        }
        return new StrataException(
                ErrorCode.IO_ERROR,
                "page log " + uri + ": ledger " + w.ledgerId() + " failed (" + BKException.getMessage(rc)
                        + "); claim the epoch again to continue");
    }

    @GuardedBy("lock")
    private FencedException fencedLocked() {
        return fencedLocked(false);
    }

    @GuardedBy("lock")
    private FencedException fencedLocked(boolean unconfirmedMayBeDurable) {
        EpochState now = meta.readEpoch();
        EpochState m = mine;
        if (writer != null) {
            lastSession = writer;
            writer = null;
            resetViewLocked();
        }
        return new FencedException(m == null ? 0 : m.epoch(), now.epoch(), now.owner(), unconfirmedMayBeDurable);
    }

    private void awaitOrThrow(WriterSession w, long lsn, String what) {
        try {
            if (w.awaitLsn(lsn) != BKException.Code.OK) {
                synchronized (lock) {
                    throw failedLocked(w);
                }
            }
            w.makeVisible();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io(what, e);
        }
    }

    void awaitEntryOrThrow(WriterSession w, long entry, String what) {
        try {
            if (w.awaitEntry(entry) != BKException.Code.OK) {
                synchronized (lock) {
                    throw failedLocked(w);
                }
            }
            w.makeVisible();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io(what, e);
        }
    }

    /** Rolls to a new ledger once the current one passed its size limit. */
    @GuardedBy("lock")
    private void maybeRollLocked(WriterSession w) {
        if (w.bytes() >= conf.rollBytes()) {
            rollLocked(w);
        }
    }

    /**
     * Closes the current ledger (after its pending adds) and registers a new one. A checkpoint completion rolls,
     * so that reclaim can later delete whole ledgers.
     */
    @GuardedBy("lock")
    private void rollLocked(WriterSession w) {
        EpochState ep = java.util.Objects.requireNonNull(mine);
        try {
            int rc = w.close();
            if (rc != BKException.Code.OK) {
                throw failedLocked(w);
            }
            replay.sealOwn(w.ledgerId(), w.handle().getLastAddConfirmed());
            long first = index.maxLsn() + 1;
            LedgerHandle lh = reads.createLedger(conf, ep.epoch());
            try {
                manifest = meta.writeManifest(
                        ep, manifest, manifest.plus(new LedgerRef(ep.epoch(), lh.getId(), first), first - 1));
            } catch (RuntimeException e) {
                // the new ledger is left to the next leader's sweep (see claimEpoch)
                if (e instanceof FencedException) {
                    fenced = true;
                }
                throw e;
            }
            writer = new WriterSession(lh, ep.epoch(), first);
            lastSession = w;
        } catch (BKException e) {
            throw io("roll ledger " + w.ledgerId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io("roll ledger " + w.ledgerId(), e);
        }
    }

    /** The current writer session (for the compactor). */
    @GuardedBy("lock")
    @Nullable
    WriterSession writerSessionLocked() {
        return writer;
    }

    private void checkOpen() {
        synchronized (lock) {
            checkOpenLocked();
        }
    }

    @GuardedBy("lock")
    private void checkOpenLocked() {
        if (closed) {
            throw new StrataException(ErrorCode.CLOSED, "page log " + uri + " is closed on " + options.nodeId());
        }
    }

    StrataException io(String what, Exception e) {
        return new StrataException(
                ErrorCode.IO_ERROR, "bookkeeper page log " + uri + ": cannot " + what + ": " + e.getMessage(), e);
    }
}
