package io.stratadb.engine.pagelog.file;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.engine.pagelog.CompletionIndex;
import io.stratadb.engine.pagelog.PageEntry;
import io.stratadb.engine.pagelog.PageIndex;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one instance knows of a {@code file:} page log: the page index, log-record and completion locations, the
 * LSN counter and the epoch floor, built only by applying records read from the segments (the writer reads its
 * own records back after writing them).
 *
 * <p>Invariants: (1) {@code lastLsn} never decreases; (2) a record whose epoch is below the newest epoch record
 * before it (a write of a fenced node) is never applied; (3) a record that consumes an LSN and is not a copy has
 * an LSN above every earlier one, else the log is corrupt.
 *
 * <p>Thread safety: reads are lock-free; {@link #apply} is externally serialized (by the page log's lock).
 */
final class FileLogIndex {
    private static final Logger LOG = LoggerFactory.getLogger(FileLogIndex.class);

    final PageIndex pages = new PageIndex();
    final LogRecordIndex log = new LogRecordIndex();
    final CompletionIndex completions = new CompletionIndex();

    private final Path dir;
    private volatile long lastLsn;
    private volatile long floorEpoch;
    private volatile long firstLiveSegment = 1;

    FileLogIndex(Path dir) {
        this.dir = dir;
    }

    long lastLsn() {
        return lastLsn;
    }

    long floorEpoch() {
        return floorEpoch;
    }

    long firstLiveSegment() {
        return firstLiveSegment;
    }

    /**
     * Applies one valid frame read at {@code location}; {@code size} is its payload size and {@code payload} its
     * payload bytes for completions and epochs (empty for other kinds, whose payloads stay on disk).
     */
    @SuppressWarnings("TooManyParameters") // one per header field
    void apply(
            RecordKind kind,
            int flags,
            int type,
            long epoch,
            long lsn,
            long a,
            long b,
            long c,
            long d,
            int size,
            byte[] payload,
            long location) {
        if (kind == RecordKind.EPOCH) {
            floorEpoch = Math.max(floorEpoch, epoch);
            lastLsn = Math.max(lastLsn, a);
            return;
        }
        if (epoch < floorEpoch) {
            return; // written by a fenced node after the claim: never visible
        }
        boolean copy = (flags & Frame.FLAG_COPY) != 0;
        if (kind.consumesLsn && !copy) {
            if (lsn <= lastLsn) {
                throw new StrataException(
                        ErrorCode.CORRUPTION,
                        "page log " + dir + ": record at " + describe(location) + " has LSN " + lsn
                                + ", not above the previous LSN " + lastLsn);
            }
            lastLsn = lsn;
        }
        switch (kind) {
            case FULL -> addPage(PageRecord.Kind.FULL, lsn, a, b, c, d, size, location, copy);
            case DELTA -> addPage(PageRecord.Kind.DELTA, lsn, a, b, c, d, size, location, copy);
            case DISCARD -> addPage(PageRecord.Kind.DISCARD, lsn, a, b, c, d, 0, location, copy);
            case LOG -> log.put(lsn, type, size, location);
            case COMPLETION -> completions.add(new CheckpointCompletion(lsn, a, b, c, payload));
            case ABANDON -> {
                int removed = pages.removeAbove(a);
                int completionsRemoved = completions.removeAbove(a);
                lastLsn = Math.max(lastLsn, b);
                LOG.debug(
                        "page log {}: abandon above LSN {} (epoch {}) removed {} page records and {} completions",
                        dir,
                        a,
                        epoch,
                        removed,
                        completionsRemoved);
            }
            case RECLAIM -> reclaim(a);
            case MARK -> {
                floorEpoch = Math.max(floorEpoch, epoch);
                lastLsn = Math.max(lastLsn, a);
                firstLiveSegment = Math.max(firstLiveSegment, b);
            }
            case EPOCH -> {
                // handled above
            }
        }
    }

    /** Drops what no read at or after the completed checkpoint {@code checkpointLsn} needs. */
    void reclaim(long checkpointLsn) {
        pages.reclaim(checkpointLsn);
        log.removeUpTo(checkpointLsn);
        completions.removeBelow(checkpointLsn);
    }

    @SuppressWarnings("TooManyParameters")
    private void addPage(
            PageRecord.Kind kind,
            long lsn,
            long tableId,
            long pageId,
            long backlink,
            long base,
            int size,
            long location,
            boolean survivor) {
        PageEntry e = new PageEntry(pageId, lsn, backlink, base, kind, size, location, null);
        if (survivor) {
            pages.table(tableId).addSurvivor(e);
        } else {
            pages.table(tableId).add(e);
        }
    }

    static String describe(long location) {
        return "segment " + Segments.segmentOf(location) + " offset " + Segments.offsetOf(location);
    }
}
