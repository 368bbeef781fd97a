package io.stratadb.engine.pagelog.memory;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.FencedException;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import io.stratadb.engine.pagelog.ChainVerifier;
import io.stratadb.engine.pagelog.CompletionIndex;
import io.stratadb.engine.pagelog.PageEntry;
import io.stratadb.engine.pagelog.PageIndex;
import io.stratadb.engine.pagelog.TableIndex;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * The shared state of one {@code memory:} page log: the LSN counter, the epoch, the page index, log records and
 * completions. Every {@link MemoryPageLog} opened on the same URI in this JVM is a view of one store.
 *
 * <p>Invariants: (1) {@code counter} only grows; every write takes {@code counter + 1}; (2) a write is checked
 * (epoch, chain rules) and applied under the store's monitor, so a refused write changes nothing; (3) the
 * epoch only grows.
 *
 * <p>Thread safety: writes synchronize on the store; reads of the index, log and completions are lock-free.
 */
final class MemoryPageLogStore {
    private final String name;

    @GuardedBy("this")
    private long counter;

    private volatile long lastLsn;
    private volatile long epoch;
    private volatile @Nullable String owner;

    final PageIndex pages = new PageIndex();
    final ConcurrentSkipListMap<Long, LogRecord> log = new ConcurrentSkipListMap<>();
    final CompletionIndex completions = new CompletionIndex();

    MemoryPageLogStore(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    long lastLsn() {
        return lastLsn;
    }

    long epoch() {
        return epoch;
    }

    @Nullable
    String owner() {
        return owner;
    }

    synchronized long claim(String nodeId) {
        epoch = epoch + 1;
        owner = nodeId;
        return epoch;
    }

    synchronized long put(long writerEpoch, long tableId, long pageId, PutArgs args, byte[] payload) {
        checkWriter(writerEpoch);
        TableIndex table = pages.table(tableId);
        ChainVerifier.checkPut(tableId, pageId, table.history(pageId), args);
        long lsn = next();
        PageRecord.Kind kind = args.delta() ? PageRecord.Kind.DELTA : PageRecord.Kind.FULL;
        table.add(new PageEntry(pageId, lsn, args.backlinkLsn(), args.baseLsn(), kind, payload.length, -1, payload));
        lastLsn = lsn;
        return lsn;
    }

    synchronized long discard(long writerEpoch, long tableId, long pageId, long backlinkLsn, long baseLsn) {
        checkWriter(writerEpoch);
        TableIndex table = pages.table(tableId);
        ChainVerifier.checkDiscard(tableId, pageId, table.history(pageId), backlinkLsn, baseLsn);
        long lsn = next();
        table.add(new PageEntry(pageId, lsn, backlinkLsn, baseLsn, PageRecord.Kind.DISCARD, 0, -1, new byte[0]));
        lastLsn = lsn;
        return lsn;
    }

    synchronized long append(long writerEpoch, int type, byte[] payload) {
        checkWriter(writerEpoch);
        long lsn = next();
        log.put(lsn, new LogRecord(lsn, type, payload));
        lastLsn = lsn;
        return lsn;
    }

    synchronized CheckpointCompletion complete(long writerEpoch, long ts, long oldestTs, byte[] metadata) {
        checkWriter(writerEpoch);
        long lsn = next();
        CheckpointCompletion c = new CheckpointCompletion(lsn, ts, oldestTs, writerEpoch, metadata);
        completions.add(c);
        lastLsn = lsn;
        return c;
    }

    synchronized void abandon(long writerEpoch) {
        checkWriter(writerEpoch);
        long above = completions.newestLsn();
        pages.removeAbove(above);
        completions.removeAbove(above);
    }

    synchronized void reclaim(long writerEpoch, long checkpointLsn) {
        checkWriter(writerEpoch);
        if (completions
                .select(checkpointLsn)
                .filter(c -> c.lsn() == checkpointLsn)
                .isEmpty()) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "reclaim at LSN " + checkpointLsn + " of page log memory:" + name
                            + ": no completed checkpoint has that LSN");
        }
        pages.reclaim(checkpointLsn);
        log.headMap(checkpointLsn, true).clear();
        completions.removeBelow(checkpointLsn);
    }

    @GuardedBy("this")
    private long next() {
        return ++counter;
    }

    @GuardedBy("this")
    private void checkWriter(long writerEpoch) {
        if (writerEpoch == 0) {
            throw new StrataException(
                    ErrorCode.INVALID_STATE,
                    "page log memory:" + name + ": this instance has not claimed an epoch; call claimEpoch()"
                            + " before writing");
        }
        if (writerEpoch != epoch) {
            String o = owner;
            throw new FencedException(writerEpoch, epoch, o == null ? "unknown" : o);
        }
    }
}
