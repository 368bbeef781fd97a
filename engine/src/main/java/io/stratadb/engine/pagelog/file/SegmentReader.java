package io.stratadb.engine.pagelog.file;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Positional reads of frames from segment files, through one read-only channel per segment kept open (so a
 * segment deleted by another process's reclaim stays readable until this instance has moved past it).
 *
 * <p>Invariants: every frame returned passed its length and CRC32C checks.
 *
 * <p>Thread safety: thread-safe (positional reads; the channel map is concurrent).
 */
final class SegmentReader implements AutoCloseable {
    /** Thrown when a segment file no longer exists (reclaimed): catch up and retry. */
    static final class SegmentGoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SegmentGoneException(long segment) {
            super("segment " + segment + " is gone", null, false, false);
        }
    }

    private final Path dir;
    private final ConcurrentHashMap<Long, FileChannel> channels = new ConcurrentHashMap<>();

    SegmentReader(Path dir) {
        this.dir = dir;
    }

    /** The read channel of {@code segment}, or null if the file does not exist. */
    @Nullable
    FileChannel channel(long segment) {
        FileChannel ch = channels.get(segment);
        if (ch != null) {
            if (ch.isOpen()) {
                return ch;
            }
            channels.remove(segment, ch); // closed by an interrupted reader thread: reopen
        }
        try {
            FileChannel opened = FileChannel.open(Segments.path(dir, segment), StandardOpenOption.READ);
            FileChannel prior = channels.putIfAbsent(segment, opened);
            if (prior != null) {
                opened.close();
                return prior;
            }
            return opened;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "cannot open segment " + Segments.path(dir, segment), e);
        }
    }

    /** Reads {@code len} bytes at {@code offset} fully into a new heap buffer (position 0). */
    static ByteBuffer readFully(FileChannel ch, long offset, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        Uninterruptible.run(() -> {
            while (buf.hasRemaining()) {
                int n = ch.read(buf, offset + buf.position());
                if (n < 0) {
                    break;
                }
            }
        });
        buf.flip();
        return buf;
    }

    /**
     * The whole frame at {@code location}, checked; {@code expectedSize} is its payload size as indexed. Fails
     * with {@code CORRUPTION} if the bytes do not form that frame.
     */
    ByteBuffer readFrame(long location, int expectedSize, long lsn) {
        long segment = Segments.segmentOf(location);
        FileChannel ch = channel(segment);
        if (ch == null) {
            throw new SegmentGoneException(segment);
        }
        int len = Frame.HEADER + expectedSize;
        ByteBuffer frame;
        try {
            frame = readFully(ch, Segments.offsetOf(location), len);
        } catch (java.nio.channels.ClosedChannelException e) {
            throw new SegmentGoneException(segment);
        } catch (IOException e) {
            throw new StrataException(
                    ErrorCode.IO_ERROR,
                    "cannot read LSN " + lsn + " at " + FileLogIndex.describe(location) + " of " + dir,
                    e);
        }
        if (frame.remaining() != len
                || frame.getInt(Frame.OFF_LENGTH) != len
                || frame.getLong(Frame.OFF_LSN) != lsn
                || frame.getInt(Frame.OFF_CRC) != Frame.crc(new CRC32C(), frame, Frame.OFF_VERSION, len)) {
            throw new StrataException(
                    ErrorCode.CORRUPTION,
                    "page log " + dir + ": the record of LSN " + lsn + " at " + FileLogIndex.describe(location)
                            + " fails its checksum");
        }
        return frame;
    }

    /** The payload of the frame at {@code location}. */
    byte[] readPayload(long location, int size, long lsn) {
        ByteBuffer frame = readFrame(location, size, lsn);
        byte[] out = new byte[size];
        frame.get(Frame.HEADER, out);
        return out;
    }

    /** Closes channels of segments below {@code segment} (they were reclaimed). */
    void closeBelow(long segment) {
        for (Map.Entry<Long, FileChannel> e : channels.entrySet()) {
            if (e.getKey() < segment) {
                channels.remove(e.getKey());
                closeQuietly(e.getValue());
            }
        }
    }

    @Override
    public void close() {
        for (FileChannel ch : channels.values()) {
            closeQuietly(ch);
        }
        channels.clear();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // read-only channel: nothing to lose
        }
    }
}
