package io.stratadb.engine.pagelog.memory;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogTableStats;
import io.stratadb.api.pagelog.PutArgs;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One node's view of a {@code memory:} page log: it writes with the epoch it claimed, and reads the shared
 * {@link MemoryPageLogStore}.
 *
 * <p>Invariants: (1) {@code writerEpoch} is 0 until {@link #claimEpoch()}; (2) after {@link #close()} every
 * call fails with {@code CLOSED}; the store and other views are unaffected.
 *
 * <p>Thread safety: thread-safe.
 */
final class MemoryPageLog implements PageLog {
    private final URI uri;
    private final MemoryPageLogStore store;
    private final PageLogOptions options;
    private volatile long writerEpoch;
    private volatile boolean closed;

    MemoryPageLog(URI uri, MemoryPageLogStore store, PageLogOptions options) {
        this.uri = uri;
        this.store = store;
        this.options = options;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public PageLogHandle openHandle(long tableId) {
        checkOpen();
        return new MemoryPageLogHandle(this, store, tableId);
    }

    @Override
    public long lastLsn() {
        checkOpen();
        return store.lastLsn();
    }

    @Override
    public long currentEpoch() {
        checkOpen();
        return store.epoch();
    }

    @Override
    public Optional<String> epochOwner() {
        checkOpen();
        return Optional.ofNullable(store.owner());
    }

    @Override
    public long claimEpoch() {
        checkOpen();
        long e = store.claim(options.nodeId());
        writerEpoch = e;
        return e;
    }

    @Override
    public long writerEpoch() {
        return writerEpoch;
    }

    @Override
    public long append(int type, byte[] payload) {
        checkOpen();
        return store.append(writerEpoch, type, payload);
    }

    @Override
    public void sync(long lsn) {
        checkOpen(); // every record is visible and "durable" (for this JVM's life) once written
    }

    @Override
    public List<LogRecord> readLog(long afterLsn, int max) {
        checkOpen();
        if (max <= 0) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "readLog max must be positive, got " + max);
        }
        List<LogRecord> out = new ArrayList<>(Math.min(max, 64));
        for (LogRecord r : store.log.tailMap(afterLsn, false).values()) {
            out.add(r);
            if (out.size() == max) {
                break;
            }
        }
        return out;
    }

    @Override
    public CheckpointCompletion completeCheckpoint(long checkpointTimestamp, long oldestTimestamp, byte[] metadata) {
        checkOpen();
        return store.complete(writerEpoch, checkpointTimestamp, oldestTimestamp, metadata);
    }

    @Override
    public Optional<CheckpointCompletion> completedCheckpoint(long lsn) {
        checkOpen();
        return store.completions.select(lsn);
    }

    @Override
    public List<CheckpointCompletion> completedCheckpoints() {
        checkOpen();
        return store.completions.all();
    }

    @Override
    public void abandonCheckpoint() {
        checkOpen();
        store.abandon(writerEpoch);
    }

    @Override
    public void reclaim(long checkpointLsn) {
        checkOpen();
        store.reclaim(writerEpoch, checkpointLsn);
    }

    @Override
    public List<PageLogTableStats> stats() {
        checkOpen();
        return store.pages.stats();
    }

    @Override
    public void close() {
        closed = true;
    }

    long put(long tableId, long pageId, PutArgs args, byte[] payload) {
        checkOpen();
        return store.put(writerEpoch, tableId, pageId, args, payload);
    }

    long discard(long tableId, long pageId, long backlinkLsn, long baseLsn) {
        checkOpen();
        return store.discard(writerEpoch, tableId, pageId, backlinkLsn, baseLsn);
    }

    void checkOpen() {
        if (closed) {
            throw new StrataException(ErrorCode.CLOSED, "page log " + uri + " is closed");
        }
    }

    @Override
    public String toString() {
        return "MemoryPageLog[" + uri + ", node " + options.nodeId() + ", epoch " + writerEpoch + "]";
    }
}
