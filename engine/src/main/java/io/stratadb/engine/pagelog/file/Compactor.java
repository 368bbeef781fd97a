package io.stratadb.engine.pagelog.file;

import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.engine.pagelog.PageEntry;
import io.stratadb.engine.pagelog.PageHistory;
import io.stratadb.engine.pagelog.TableIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reclaim of space, in steps that never hold the page log's lock for longer than one piece of copying. {@link
 * #start} (under the page log's lock and the directory lock) drops from the index what no read at or after a
 * completed checkpoint needs, starts a new segment with a {@code RECLAIM} marker and lists the live records of
 * the older segments; {@link #readPiece} reads the next piece of them (no lock: old segments stay until the
 * end); the caller appends each piece as copies (flagged, so their old LSNs are accepted) like any other
 * records, so commits and page writes continue between pieces and interleave with the copies; {@link #finish}
 * adds the completions and a {@code MARK} naming the new first segment; once that is durable the older segments
 * are deleted ({@link #deleteBelow}).
 *
 * <p>Invariants: (1) a segment is deleted only after copies of all its live records, and the {@code MARK}, are
 * durable in later segments; (2) a crash part-way leaves old segments in place, and duplicate copies are
 * harmless (same LSN, same bytes); (3) the {@code MARK} carries the LSN counter, so a log rebuilt from the
 * remaining segments never hands out an LSN twice; (4) the records listed at the start are the ones copied:
 * nothing removes index entries during a reclaim (the page log serializes reclaims and abandons).
 *
 * <p>Thread safety: one instance per reclaim, used by one thread; {@link #start} and {@link #finish} under the
 * page log's lock.
 */
final class Compactor {
    /** Bytes of copies appended per piece. */
    static final int PIECE = 256 << 10;

    private static final byte[] EMPTY = new byte[0];

    private final SegmentReader reader;
    private final FileLogIndex index;
    private final SegmentWriter writer;
    private final List<long[]> todo = new ArrayList<>(); // {location, size, lsn}
    private final List<CheckpointCompletion> completions = new ArrayList<>();
    private int next;
    private long first;

    Compactor(SegmentReader reader, FileLogIndex index, SegmentWriter writer) {
        this.reader = reader;
        this.index = index;
        this.writer = writer;
    }

    /**
     * Drops what no read at or after {@code checkpointLsn} needs, rolls to a new segment and adds the {@code
     * RECLAIM} marker to the pending buffer; lists what must be copied. The caller holds the page log's lock and
     * the directory lock with its epoch checked, and has flushed the buffer.
     */
    void start(long checkpointLsn, long epoch) throws IOException {
        index.reclaim(checkpointLsn);
        writer.roll();
        first = writer.segment();
        writer.add(RecordKind.RECLAIM, 0, 0, epoch, 0, checkpointLsn, 0, 0, 0, EMPTY);
        for (TableIndex t : index.pages.tables()) {
            for (PageHistory h : t.histories()) {
                for (int i = 0; i < h.size(); i++) {
                    PageEntry e = h.at(i);
                    if (Segments.segmentOf(e.location()) < first) {
                        todo.add(new long[] {e.location(), e.size(), e.lsn()});
                    }
                }
            }
        }
        index.log.forEachAfter(Long.MIN_VALUE, (lsn, type, size, location) -> {
            if (Segments.segmentOf(location) < first) {
                todo.add(new long[] {location, size, lsn});
            }
            return true;
        });
        completions.addAll(index.completions.all());
    }

    /** The first segment that holds the copies. */
    long first() {
        return first;
    }

    /**
     * Reads the next piece of frames to copy (empty when all are read). No lock is needed. Frames read before a
     * failed read are read again by the retry, which is harmless.
     */
    List<ByteBuffer> readPiece() {
        List<ByteBuffer> out = new ArrayList<>();
        int bytes = 0;
        while (next < todo.size() && bytes < PIECE) {
            long[] r = todo.get(next);
            ByteBuffer f = reader.readFrame(r[0], (int) r[1], r[2]);
            next++; // only once read: a retry after a failed read starts again here
            out.add(f);
            bytes += f.remaining();
        }
        return out;
    }

    /** Adds the completion copies and the {@code MARK} (under the page log's lock, epoch checked). */
    void finish(long epoch, long counter) {
        for (CheckpointCompletion c : completions) {
            writer.add(
                    RecordKind.COMPLETION,
                    Frame.FLAG_COPY,
                    0,
                    epoch,
                    c.lsn(),
                    c.checkpointTimestamp(),
                    c.oldestTimestamp(),
                    c.epoch(),
                    0,
                    c.metadata());
        }
        writer.add(RecordKind.MARK, 0, 0, epoch, 0, counter, first, 0, 0, EMPTY);
    }

    /** Deletes the segments below {@code firstLive}, whose live records were copied forward. */
    static void deleteBelow(Path dir, SegmentReader reader, SegmentWriter writer, long firstLive, boolean sync)
            throws IOException {
        reader.closeBelow(firstLive);
        writer.closeRetired();
        for (long s : Segments.list(dir)) {
            if (s < firstLive) {
                Files.deleteIfExists(Segments.path(dir, s));
            }
        }
        if (sync) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // directories cannot be opened on every platform; deletion durability is not required
            }
        }
    }
}
