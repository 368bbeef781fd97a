package io.stratadb.engine.pagelog.file;

import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.engine.pagelog.PageEntry;
import io.stratadb.engine.pagelog.PageHistory;
import io.stratadb.engine.pagelog.TableIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongFunction;

/**
 * Reclaim of space: after dropping from the index what no read at or after a completed checkpoint needs, it
 * starts a new segment, writes a {@code RECLAIM} marker, copies every live record there (flagged as copies, so
 * their old LSNs are accepted), ends with a {@code MARK} naming the new first segment, forces, and then the
 * older segments are deleted.
 *
 * <p>Invariants: (1) a segment is deleted only after copies of all its live records are durable in a later
 * segment; (2) a crash part-way leaves old segments in place, and duplicate copies are harmless (same LSN,
 * same bytes); (3) the {@code MARK} carries the LSN counter, so a log rebuilt from the remaining segments never
 * hands out an LSN twice.
 *
 * <p>Thread safety: used under the page log's lock.
 */
final class Compactor {
    private static final int CHUNK = 4 << 20;
    private static final byte[] EMPTY = new byte[0];

    private final SegmentReader reader;
    private final FileLogIndex index;
    private final SegmentWriter writer;
    private final DirectoryLock dirLock;
    private final EpochFile epochFile;

    Compactor(
            SegmentReader reader,
            FileLogIndex index,
            SegmentWriter writer,
            DirectoryLock dirLock,
            EpochFile epochFile) {
        this.reader = reader;
        this.index = index;
        this.writer = writer;
        this.dirLock = dirLock;
        this.epochFile = epochFile;
    }

    /** Copies the live records forward; the caller then reads them back and calls {@link #deleteBelow}. */
    void compact(long checkpointLsn, long epoch, long counter, LongFunction<RuntimeException> fenced)
            throws IOException {
        dirLock.lock();
        try {
            long current = epochFile.epoch();
            if (current != epoch) {
                throw fenced.apply(current);
            }
            index.reclaim(checkpointLsn);
            writer.roll();
            long first = writer.segment();
            try {
                writer.add(RecordKind.RECLAIM, 0, 0, epoch, 0, checkpointLsn, 0, 0, 0, EMPTY);
                for (TableIndex t : index.pages.tables()) {
                    for (PageHistory h : t.histories()) {
                        for (int i = 0; i < h.size(); i++) {
                            PageEntry e = h.at(i);
                            if (Segments.segmentOf(e.location()) < first) {
                                writer.addCopy(reader.readFrame(e.location(), e.size(), e.lsn()), epoch);
                                spill();
                            }
                        }
                    }
                }
                try {
                    index.log.forEachAfter(Long.MIN_VALUE, (lsn, type, size, location) -> {
                        if (Segments.segmentOf(location) < first) {
                            try {
                                writer.addCopy(reader.readFrame(location, size, lsn), epoch);
                                spill();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        return true;
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                for (CheckpointCompletion c : index.completions.all()) {
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
                writer.writePending(false);
            } finally {
                writer.discardPending();
            }
            SegmentWriter.force(writer.channel());
        } finally {
            dirLock.unlock();
        }
    }

    private void spill() throws IOException {
        if (writer.pendingBytes() >= CHUNK) {
            writer.writePending(false);
        }
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
