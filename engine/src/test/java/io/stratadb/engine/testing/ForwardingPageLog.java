package io.stratadb.engine.testing;

import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogTableStats;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A page log that forwards every call of the SPI's abstract methods to a real one: the base of test wrappers
 * that count, delay or fail some calls and override only those.
 *
 * <p>Invariants: a subclass that overrides nothing behaves exactly like the wrapped log (the SPI's default
 * methods, such as the leadership ones, keep their defaults).
 *
 * <p>Thread safety: as thread-safe as the wrapped log.
 */
public abstract class ForwardingPageLog implements PageLog {
    /** The wrapped page log. */
    protected final PageLog real;

    protected ForwardingPageLog(PageLog real) {
        this.real = real;
    }

    @Override
    public URI uri() {
        return real.uri();
    }

    @Override
    public PageLogHandle openHandle(long tableId) {
        return real.openHandle(tableId);
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

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + real + "]";
    }
}
