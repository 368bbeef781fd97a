package io.stratadb.engine.checkpoint;

import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogTableStats;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A page log that forwards to a real one and counts page reads ({@link PageLogHandle#get}) per table id.
 *
 * <p>Invariants: behaves exactly like the wrapped log; {@link #gets()} is the number of get calls so far.
 *
 * <p>Thread safety: thread-safe.
 */
final class CountingPageLog implements PageLog {
    private final PageLog real;
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong tableGets = new AtomicLong();

    CountingPageLog(PageLog real) {
        this.real = real;
    }

    /** Page reads of every table id, the catalogue included. */
    long gets() {
        return gets.get();
    }

    /** Page reads of user tables (table id above the catalogue's). */
    long tableGets() {
        return tableGets.get();
    }

    @Override
    public URI uri() {
        return real.uri();
    }

    @Override
    public PageLogHandle openHandle(long tableId) {
        PageLogHandle h = real.openHandle(tableId);
        return new PageLogHandle() {
            @Override
            public long tableId() {
                return h.tableId();
            }

            @Override
            public long put(long pageId, PutArgs args, byte[] payload) {
                return h.put(pageId, args, payload);
            }

            @Override
            public List<PageRecord> get(long pageId, long atLsn) {
                gets.incrementAndGet();
                if (tableId != CatalogRoot.TABLE_ID) {
                    tableGets.incrementAndGet();
                }
                return h.get(pageId, atLsn);
            }

            @Override
            public long discard(long pageId, long backlinkLsn, long baseLsn) {
                return h.discard(pageId, backlinkLsn, baseLsn);
            }

            @Override
            public long[] pageIds(long atLsn) {
                return h.pageIds(atLsn);
            }
        };
    }

    @Override
    public long lastLsn() {
        return real.lastLsn();
    }

    @Override
    public long currentEpoch() {
        return real.currentEpoch();
    }

    @Override
    public Optional<String> epochOwner() {
        return real.epochOwner();
    }

    @Override
    public long claimEpoch() {
        return real.claimEpoch();
    }

    @Override
    public long writerEpoch() {
        return real.writerEpoch();
    }

    @Override
    public long append(int type, byte[] payload) {
        return real.append(type, payload);
    }

    @Override
    public void sync(long lsn) {
        real.sync(lsn);
    }

    @Override
    public List<LogRecord> readLog(long afterLsn, int max) {
        return real.readLog(afterLsn, max);
    }

    @Override
    public CheckpointCompletion completeCheckpoint(long checkpointTimestamp, long oldestTimestamp, byte[] metadata) {
        return real.completeCheckpoint(checkpointTimestamp, oldestTimestamp, metadata);
    }

    @Override
    public Optional<CheckpointCompletion> completedCheckpoint(long lsn) {
        return real.completedCheckpoint(lsn);
    }

    @Override
    public List<CheckpointCompletion> completedCheckpoints() {
        return real.completedCheckpoints();
    }

    @Override
    public void abandonCheckpoint() {
        real.abandonCheckpoint();
    }

    @Override
    public void reclaim(long checkpointLsn) {
        real.reclaim(checkpointLsn);
    }

    @Override
    public List<PageLogTableStats> stats() {
        return real.stats();
    }

    @Override
    public void close() {
        real.close();
    }
}
