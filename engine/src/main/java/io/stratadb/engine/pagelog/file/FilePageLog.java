package io.stratadb.engine.pagelog.file;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.FencedException;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogTableStats;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import io.stratadb.engine.pagelog.ChainVerifier;
import io.stratadb.engine.pagelog.CopyingAppend;
import io.stratadb.engine.pagelog.PageEntry;
import io.stratadb.engine.pagelog.TableIndex;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance (node) of a {@code file:} page log: a reader that tails the segments, and after {@link
 * #claimEpoch()} the directory's only writer.
 *
 * <p>Every write is checked against the epoch and the chain rules, given the next LSN and encoded into a
 * buffer; a flush appends the buffer under the {@link DirectoryLock} after re-checking the {@link EpochFile}
 * there, and the instance then indexes the bytes it wrote with the same parser readers use. Page records are
 * readable by the writer from memory until then. {@link #sync(long)} flushes and forces (group commit);
 * completions are flushed and forced at once.
 *
 * <p>Roles of an instance (derived from {@code writerEpoch}, the {@code EPOCH} file and {@code broken}):
 *
 * <pre>
 *            claimEpoch()                 another node claims
 *  READER ───────────────────▶ WRITER ───────────────────────▶ FENCED
 *    ▲                          │  ▲                              │
 *    │                 I/O error│  └──────── claimEpoch() ────────┘
 *    │                          ▼
 *    └──── close + reopen ── BROKEN   (claimEpoch() refused: IO_ERROR)
 * </pre>
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>From</th><th>To</th><th>By</th></tr>
 *   <tr><td>READER, FENCED</td><td>WRITER</td><td>{@link #claimEpoch()}</td></tr>
 *   <tr><td>WRITER</td><td>FENCED</td><td>another instance's {@link #claimEpoch()} (seen by the next write)</td></tr>
 *   <tr><td>WRITER</td><td>BROKEN</td><td>a failed write or fsync ({@code fail})</td></tr>
 * </table>
 *
 * <p>A READER or FENCED instance tails the segments on every read; a WRITER reads only what it wrote; writes
 * fail with {@code INVALID_STATE} (READER), {@code FENCED} (FENCED) or {@code IO_ERROR} (BROKEN).
 *
 * <p>Invariants: (1) the index holds records that are in the files, plus this writer's buffered page records
 * (dropped with the buffer if it is fenced); (2) a write refused (fenced, invalid,
 * I/O error) leaves nothing visible; (3) after a failed write or fsync the instance refuses further writes
 * ({@code IO_ERROR}) until reopened; (4) {@code counter} is the last LSN handed out and never decreases while
 * this instance writes.
 *
 * <p>Thread safety: thread-safe. Writes and tailing serialize on {@code lock}; reads of the index do not lock,
 * and no lock is held while forcing.
 */
final class FilePageLog implements PageLog, CopyingAppend {
    private static final Logger LOG = LoggerFactory.getLogger(FilePageLog.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int FLUSH_BYTES = 1 << 20;

    private final URI uri;
    private final Path dir;
    private final PageLogOptions options;
    private final DirectoryLock dirLock;
    private final EpochFile epochFile;
    private final SegmentReader reader;
    private final FileLogIndex index;
    private final GroupCommit groupCommit;
    private final ReentrantLock lock = new ReentrantLock();
    // serializes reclaims with each other and with abandons (a reclaim copies the records it listed at its start)
    private final ReentrantLock reclaimLock = new ReentrantLock();

    @GuardedBy("lock")
    private final SegmentScanner scanner;

    @GuardedBy("lock")
    private final SegmentWriter writer;

    @GuardedBy("lock")
    private long counter;

    private volatile long assigned;
    // the highest LSN this instance ever handed out; never lowered (sync clamps a caller's LSN to it)
    private volatile long maxAssigned;
    private volatile long writtenLsn;
    private volatile long writerEpoch;
    private volatile @Nullable StrataException broken;
    private volatile boolean closed;
    // started by the first claim when writes are synced; stopped by close
    private volatile @Nullable Preallocator preallocator;

    FilePageLog(URI uri, Path dir, PageLogOptions options, long segmentBytes) {
        this.uri = uri;
        this.dir = dir;
        this.options = options;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "cannot create page log directory " + dir, e);
        }
        this.dirLock = DirectoryLock.of(realPath(dir));
        this.epochFile = new EpochFile(dir, dirLock);
        this.reader = new SegmentReader(dir);
        this.index = new FileLogIndex(dir);
        this.scanner = new SegmentScanner(dir, reader, index);
        this.writer = new SegmentWriter(dir, segmentBytes, options.syncWrites());
        this.groupCommit = new GroupCommit(dir.toString());
        lock.lock();
        try {
            scanner.catchUp(SegmentScanner.Mode.READ);
        } catch (RuntimeException e) {
            reader.close();
            epochFile.close();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "cannot resolve page log directory " + dir, e);
        }
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public PageLogHandle openHandle(long tableId) {
        checkOpen();
        return new FilePageLogHandle(this, tableId);
    }

    @Override
    public long lastLsn() {
        checkOpen();
        if (isCurrentWriter()) {
            return Math.max(assigned, index.lastLsn());
        }
        refresh();
        return index.lastLsn();
    }

    @Override
    public long currentEpoch() {
        checkOpen();
        return epochFile.epoch();
    }

    @Override
    public Optional<String> epochOwner() {
        checkOpen();
        return Optional.ofNullable(epochFile.read().owner());
    }

    @Override
    public long claimEpoch() {
        checkOpen();
        StrataException b = broken;
        if (b != null) {
            throw new StrataException(
                    ErrorCode.IO_ERROR,
                    "page log " + dir + " had an I/O failure; close and reopen it before claiming an epoch",
                    b);
        }
        lock.lock();
        try {
            if (isCurrentWriter()) {
                try {
                    flushLocked(); // our own buffered records go out under the old epoch first
                } catch (FencedException fencedMeanwhile) {
                    // another node claimed first; the buffer was dropped and we claim after it
                }
            }
            long e;
            dirLock.lock();
            try {
                if (writer.hasPending()) {
                    dropPendingLocked(); // fenced meanwhile: these were never written
                }
                scanner.catchUp(SegmentScanner.Mode.CLAIM);
                e = Math.max(epochFile.read().epoch(), index.floorEpoch()) + 1;
                epochFile.write(e, options.nodeId());
                writer.deleteSpares();
                // the scan stands at the end of valid data: the writer continues there, not after the zeros
                writer.open(scanner.segment() == 0 ? 1 : scanner.segment(), scanner.offset());
                counter = index.lastLsn();
                assigned = counter;
                maxAssigned = Math.max(maxAssigned, counter);
                writtenLsn = counter;
                writerEpoch = e;
                byte[] node = options.nodeId().getBytes(StandardCharsets.UTF_8);
                writer.addMarker(RecordKind.EPOCH, e, 0, counter, 0, 0, node);
                writer.writePending(true);
                if (options.syncWrites()) {
                    SegmentWriter.force(writer.channel());
                }
            } catch (IOException ex) {
                throw fail("claim an epoch", ex);
            } finally {
                dirLock.unlock();
            }
            scanner.catchUp(SegmentScanner.Mode.READ);
            if (options.syncWrites() && preallocator == null) {
                SegmentWriter w = writer;
                // zeros only under the directory lock with this writer's epoch checked there: a fenced writer must
                // never write them into a segment the new writer uses
                preallocator = new Preallocator(
                        dir.toString(),
                        () -> !closed && broken == null && writerEpoch != 0,
                        () -> writerEpoch == epochFile.epoch(),
                        dirLock,
                        w);
            }
            return e;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long writerEpoch() {
        return writerEpoch;
    }

    @Override
    public long append(int type, byte[] payload) {
        return append(type, payload, 0, payload.length);
    }

    /** The payload is copied into the write buffer before this returns (see {@link CopyingAppend}). */
    @Override
    public long append(int type, byte[] payload, int offset, int length) {
        checkOpen();
        lock.lock();
        try {
            checkWriter();
            long lsn = counter + 1;
            writer.add(RecordKind.LOG, 0, type, writerEpoch, lsn, 0, 0, 0, 0, payload, offset, length);
            assignedLocked(lsn);
            flushIfFull();
            return lsn;
        } finally {
            lock.unlock();
        }
    }

    /** Records that {@code lsn}, one past {@code counter}, was handed out. */
    @GuardedBy("lock")
    private void assignedLocked(long lsn) {
        counter = lsn;
        assigned = lsn;
        maxAssigned = Math.max(maxAssigned, lsn);
    }

    @Override
    public void sync(long lsn) {
        checkOpen();
        if (writerEpoch == 0) {
            return; // a reader has nothing to make durable
        }
        long target = Math.min(lsn, maxAssigned);
        if (!options.syncWrites()) {
            lock.lock();
            try {
                flushLocked();
            } finally {
                lock.unlock();
            }
            checkReached(writtenLsn, target);
            return;
        }
        try {
            groupCommit.sync(target, new GroupCommit.Flusher() {
                @Override
                public GroupCommit.Flushed flush() {
                    return flushForSync();
                }

                @Override
                public boolean isCurrent(FileChannel ch) {
                    lock.lock();
                    try {
                        return writer.isCurrent(ch);
                    } finally {
                        lock.unlock();
                    }
                }
            });
        } catch (StrataException e) {
            if (e.code() == ErrorCode.IO_ERROR) {
                broken = e;
            }
            throw e;
        }
        checkReached(groupCommit.durableLsn(), target);
    }

    /** Fails if {@code lsn} was handed out by this instance but dropped (fenced or failed) instead of written. */
    private void checkReached(long reached, long lsn) {
        if (reached >= lsn) {
            return;
        }
        long current = epochFile.epoch();
        if (current != writerEpoch) {
            throw fenced(current);
        }
        StrataException b = broken;
        throw new StrataException(
                ErrorCode.IO_ERROR,
                "page log " + dir + ": the record at LSN " + lsn + " was not written (written up to " + reached + ")",
                b);
    }

    private GroupCommit.Flushed flushForSync() {
        lock.lock();
        try {
            flushLocked();
            return new GroupCommit.Flushed(writtenLsn, writer.channel());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<LogRecord> readLog(long afterLsn, int max) {
        checkOpen();
        if (max <= 0) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "readLog max must be positive, got " + max);
        }
        return withRetry(() -> {
            List<LogRecord> out = new ArrayList<>(Math.min(max, 64));
            index.log.forEachAfter(afterLsn, (lsn, type, size, location) -> {
                out.add(new LogRecord(lsn, type, reader.readPayload(location, size, lsn)));
                return out.size() < max;
            });
            return out;
        });
    }

    @Override
    public CheckpointCompletion completeCheckpoint(long checkpointTimestamp, long oldestTimestamp, byte[] metadata) {
        checkOpen();
        long lsn;
        lock.lock();
        try {
            checkWriter();
            lsn = counter + 1;
            long e = writerEpoch;
            writer.addMarker(RecordKind.COMPLETION, e, lsn, checkpointTimestamp, oldestTimestamp, e, metadata);
            assignedLocked(lsn);
            flushLocked();
        } finally {
            lock.unlock();
        }
        sync(lsn);
        return new CheckpointCompletion(lsn, checkpointTimestamp, oldestTimestamp, writerEpoch, metadata);
    }

    @Override
    public Optional<CheckpointCompletion> completedCheckpoint(long lsn) {
        checkOpen();
        refresh();
        return index.completions.select(lsn);
    }

    @Override
    public List<CheckpointCompletion> completedCheckpoints() {
        checkOpen();
        refresh();
        return index.completions.all();
    }

    @Override
    public void abandonCheckpoint() {
        checkOpen();
        long mark;
        long above;
        reclaimLock.lock(); // not in the middle of a reclaim, which copies the records it listed at its start
        lock.lock();
        try {
            checkWriter();
            above = index.completions.newestLsn(); // 0 when no checkpoint ever completed: every page record goes
            writer.add(RecordKind.ABANDON, 0, 0, writerEpoch, 0, above, counter, 0, 0, EMPTY);
            flushLocked();
            mark = counter;
        } finally {
            lock.unlock();
            reclaimLock.unlock();
        }
        sync(mark);
        LOG.info(
                "page log {}: node {} (epoch {}) abandoned the page records above LSN {} (last LSN {})",
                dir,
                options.nodeId(),
                writerEpoch,
                above,
                mark);
    }

    @Override
    public void reclaim(long checkpointLsn) {
        checkOpen();
        reclaimLock.lock();
        try {
            reclaimLocked(checkpointLsn);
        } finally {
            reclaimLock.unlock();
        }
    }

    /**
     * Reclaim in pieces (see {@link Compactor}): the page log's lock is held to start, for each piece of copies
     * appended, and to finish; never for the whole copy, so commits go on meanwhile. Each piece is synced by this
     * thread, so a commit's flush carries at most one piece of copies.
     */
    private void reclaimLocked(long checkpointLsn) {
        Compactor compactor;
        lock.lock();
        try {
            compactor = new Compactor(reader, index, writer);
            checkWriter();
            if (index.completions
                    .select(checkpointLsn)
                    .filter(c -> c.lsn() == checkpointLsn)
                    .isEmpty()) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        "reclaim at LSN " + checkpointLsn + " of page log " + dir
                                + ": no completed checkpoint has that LSN");
            }
            flushLocked();
            dirLock.lock();
            try {
                long current = epochFile.epoch();
                if (current != writerEpoch) {
                    throw fenced(current);
                }
                compactor.start(checkpointLsn, writerEpoch);
            } finally {
                dirLock.unlock();
            }
            flushLocked();
        } catch (IOException e) {
            throw fail("reclaim", e);
        } finally {
            lock.unlock();
        }
        while (true) {
            List<ByteBuffer> piece = withRetry(compactor::readPiece, false);
            if (piece.isEmpty()) {
                break;
            }
            lock.lock();
            try {
                checkOpen(); // closed meanwhile: the reclaim stops, the old segments stay
                checkWriter();
                for (ByteBuffer frame : piece) {
                    writer.addCopy(frame, writerEpoch);
                }
                flushLocked();
            } finally {
                lock.unlock();
            }
            sync(maxAssigned);
        }
        lock.lock();
        try {
            checkOpen();
            checkWriter();
            compactor.finish(writerEpoch, counter);
            flushLocked();
        } finally {
            lock.unlock();
        }
        sync(maxAssigned);
        if (options.syncWrites()) {
            forceCurrent(); // the MARK must be durable before the old segments go, even with nothing else to sync
        }
        lock.lock();
        try {
            checkOpen();
            Compactor.deleteBelow(dir, reader, writer, index.firstLiveSegment(), options.syncWrites());
        } catch (IOException e) {
            throw fail("reclaim", e);
        } finally {
            lock.unlock();
        }
    }

    private void forceCurrent() {
        lock.lock();
        try {
            SegmentWriter.force(writer.channel()); // reclaims are rare: holding the lock here costs nothing
        } catch (IOException e) {
            throw fail("force after reclaim", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<PageLogTableStats> stats() {
        checkOpen();
        refresh();
        return index.pages.stats();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        lock.lock();
        try {
            if (isCurrentWriter() && broken == null) {
                try {
                    flushLocked();
                    if (options.syncWrites() && writer.segment() > 0) {
                        SegmentWriter.force(writer.channel());
                    }
                } catch (StrataException | IOException e) {
                    // closing anyway; unsynced records were never acknowledged
                }
            }
            closed = true;
            Preallocator.closeQuietly(preallocator);
            if (isCurrentWriter() && broken == null) {
                try {
                    dirLock.lock();
                    try {
                        if (epochFile.epoch() == writerEpoch) {
                            writer.trimLocked(); // a clean close leaves only valid data
                        }
                    } finally {
                        dirLock.unlock();
                    }
                } catch (IOException | StrataException e) {
                    LOG.warn("page log {}: cannot cut the preallocated space off at close: {}", dir, e.toString());
                }
            }
            try {
                writer.close();
            } catch (IOException e) {
                // nothing left to lose: every acknowledged record was forced
            }
            reader.close();
            epochFile.close();
        } finally {
            lock.unlock();
        }
    }

    // ---- used by the handle ----

    long put(long tableId, long pageId, PutArgs args, byte[] payload) {
        checkOpen();
        lock.lock();
        try {
            checkWriter();
            TableIndex table = index.pages.table(tableId);
            ChainVerifier.checkPut(tableId, pageId, table.history(pageId), args);
            long lsn = counter + 1;
            RecordKind kind = args.delta() ? RecordKind.DELTA : RecordKind.FULL;
            writer.add(kind, 0, 0, writerEpoch, lsn, tableId, pageId, args.backlinkLsn(), args.baseLsn(), payload);
            assignedLocked(lsn);
            // readable here at once (from memory); written with the next flush, which re-indexes it at its location
            table.add(new PageEntry(
                    pageId, lsn, args.backlinkLsn(), args.baseLsn(), pageKind(args), payload.length, -1, payload));
            flushIfFull();
            return lsn;
        } finally {
            lock.unlock();
        }
    }

    long discard(long tableId, long pageId, long backlinkLsn, long baseLsn) {
        checkOpen();
        lock.lock();
        try {
            checkWriter();
            TableIndex table = index.pages.table(tableId);
            ChainVerifier.checkDiscard(tableId, pageId, table.history(pageId), backlinkLsn, baseLsn);
            long lsn = counter + 1;
            writer.add(RecordKind.DISCARD, 0, 0, writerEpoch, lsn, tableId, pageId, backlinkLsn, baseLsn, EMPTY);
            assignedLocked(lsn);
            table.add(new PageEntry(pageId, lsn, backlinkLsn, baseLsn, PageRecord.Kind.DISCARD, 0, -1, EMPTY));
            flushIfFull();
            return lsn;
        } finally {
            lock.unlock();
        }
    }

    FileLogIndex index() {
        return index;
    }

    SegmentReader reader() {
        return reader;
    }

    /** Runs a read, catching up first; retried after catching up again if a segment was reclaimed under it. */
    <T> T withRetry(Supplier<T> read) {
        return withRetry(read, true);
    }

    /**
     * As {@link #withRetry(Supplier)}; with {@code flushOwn} false a writer does not flush its buffered log
     * records first (page reads: page records are never buffered), so its page reads take no lock.
     */
    <T> T withRetry(Supplier<T> read, boolean flushOwn) {
        if (flushOwn || !isCurrentWriter()) {
            refresh();
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return read.get();
            } catch (SegmentReader.SegmentGoneException e) {
                checkOpen();
                if (attempt >= 3) {
                    throw new StrataException(
                            ErrorCode.IO_ERROR, "page log " + dir + ": " + e.getMessage() + " and was not copied", e);
                }
                lock.lock();
                try {
                    catchUpLocked();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Reads what other instances wrote (a writer flushes its own buffer instead). */
    void refresh() {
        lock.lock();
        try {
            if (isCurrentWriter()) {
                if (writer.hasPending() && broken == null) {
                    flushLocked();
                }
            } else {
                catchUpLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    void checkOpen() {
        if (closed) {
            throw new StrataException(ErrorCode.CLOSED, "page log " + uri + " is closed");
        }
    }

    // ---- internals ----

    private boolean isCurrentWriter() {
        long w = writerEpoch;
        return w != 0 && w == epochFile.epoch();
    }

    @GuardedBy("lock")
    private void checkWriter() {
        StrataException b = broken;
        if (b != null) {
            throw new StrataException(
                    ErrorCode.IO_ERROR, "page log " + dir + " refuses writes after an earlier I/O failure", b);
        }
        if (writerEpoch == 0) {
            throw new StrataException(
                    ErrorCode.INVALID_STATE,
                    "page log " + uri + ": this instance has not claimed an epoch; call claimEpoch() before writing");
        }
        long current = epochFile.epoch();
        if (current != writerEpoch) {
            throw fenced(current);
        }
    }

    private FencedException fenced(long current) {
        String owner = epochFile.read().owner();
        return new FencedException(writerEpoch, current, owner == null ? "unknown" : owner);
    }

    /** Appends the pending records under the directory lock, then indexes them at their new locations. */
    @GuardedBy("lock")
    private void flushLocked() {
        if (!writer.hasPending()) {
            return;
        }
        SegmentWriter.Written written;
        dirLock.lock();
        try {
            long current = epochFile.epoch();
            if (current != writerEpoch) {
                dropPendingLocked();
                throw fenced(current);
            }
            written = writer.writePending(true);
            writtenLsn = counter;
        } catch (IOException e) {
            dropPendingLocked();
            throw fail("write", e);
        } finally {
            dirLock.unlock();
        }
        if (written != null) {
            scanner.applyOwn(written); // nobody else could write in between: we held the lock with the epoch
            Preallocator p = preallocator;
            if (p != null && writer.wantsSpace()) {
                p.wake();
            }
        }
    }

    @GuardedBy("lock")
    private void flushIfFull() {
        if (writer.pendingBytes() >= FLUSH_BYTES) {
            flushLocked();
        }
    }

    /**
     * Forgets the buffered records (fenced or failed): they never reach the files, so their index entries (page
     * records readable from memory) are removed and the counter returns to what was written.
     */
    @GuardedBy("lock")
    private void dropPendingLocked() {
        writer.discardPending();
        index.pages.removeAbove(index.lastLsn());
        counter = index.lastLsn();
        assigned = counter;
    }

    /** Catches up with the files; a fenced instance first drops what it buffered. */
    @GuardedBy("lock")
    private void catchUpLocked() {
        if (writer.hasPending() && !isCurrentWriter()) {
            dropPendingLocked();
        }
        scanner.catchUp(SegmentScanner.Mode.READ);
    }

    private static PageRecord.Kind pageKind(PutArgs args) {
        return args.delta() ? PageRecord.Kind.DELTA : PageRecord.Kind.FULL;
    }

    private StrataException fail(String what, IOException e) {
        StrataException s = new StrataException(ErrorCode.IO_ERROR, "page log " + dir + ": cannot " + what, e);
        broken = s;
        return s;
    }

    @Override
    public String toString() {
        return "FilePageLog[" + dir + ", node " + options.nodeId() + ", epoch " + writerEpoch + "]";
    }
}
