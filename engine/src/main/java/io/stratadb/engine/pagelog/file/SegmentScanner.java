package io.stratadb.engine.pagelog.file;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads segments from where this instance stopped to their end and applies each valid record to the {@link
 * FileLogIndex}: the only way an instance (reader or writer) learns about records.
 *
 * <p>The end of valid data of a segment is its file length, or the first all-zero frame header before it (a
 * writer preallocates zero-filled space, see {@link SegmentWriter}). A reader stops at a zero header as at
 * space not yet written and looks there again next time. When a later segment exists, the zero header is
 * read once more (a frame may have been written there just before the roll) and everything after it must be
 * zeros, or the segment is reported corrupt. A claiming writer checks the same of the newest segment: zeros to
 * the end are the normal end; non-zero bytes after the zero header are damage before the tail if they hold a
 * valid frame, else the remains of an unacknowledged write, which are cut off.
 *
 * <p>A damaged frame (incomplete, bad length, or failing its CRC) is the <em>tail</em> if it lies in the newest
 * segment and no valid frame follows it: a reader treats it as not yet written and stops there; a claiming
 * writer cuts it off (truncates). A damaged frame followed by a valid one, or in an older segment, fails with
 * {@code CORRUPTION}: nothing is skipped silently.
 *
 * <p>Invariants: (1) the position only moves forward over valid frames (or to a later segment); (2) frames are
 * applied in file order, each once (copies re-apply an LSN at a new location).
 *
 * <p>Thread safety: externally serialized (the page log's lock).
 */
final class SegmentScanner {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentScanner.class);

    /** What to do with a damaged tail. */
    enum Mode {
        /** Stop before it: it may still be being written. */
        READ,
        /** Truncate it: the caller holds the directory lock, so nobody is writing. */
        CLAIM
    }

    private static final long RETRY = -2;
    private static final long ZERO_END = -3;
    private static final int ZERO_CHECK_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS =
            ByteBuffer.allocate(ZERO_CHECK_CHUNK).asReadOnlyBuffer();
    private static final byte[] NO_BYTES = new byte[0];

    private final Path dir;
    private final SegmentReader reader;
    private final FileLogIndex index;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer header = ByteBuffer.allocate(Frame.HEADER);
    private long segment;
    private long offset;
    // a damaged tail already judged, so that readers do not re-check it on every call
    private long tailSegment = -1;
    private long tailOffset = -1;
    private long tailSize = -1;

    SegmentScanner(Path dir, SegmentReader reader, FileLogIndex index) {
        this.dir = dir;
        this.reader = reader;
        this.index = index;
    }

    /** The segment the scan stands in (0 if the log has none yet). */
    long segment() {
        return segment;
    }

    /** The offset up to which {@link #segment()} has been applied. */
    long offset() {
        return offset;
    }

    /**
     * Applies what this instance just wrote, from the bytes it wrote (no read-back), when the scan stands
     * exactly where they start; otherwise (after a roll) reads the files.
     */
    void applyOwn(SegmentWriter.Written w) {
        if (w.segment() != segment || w.start() != offset) {
            catchUp(Mode.READ);
            return;
        }
        ByteBuffer bytes = w.bytes();
        int pos = 0;
        int end = bytes.limit();
        while (pos < end) {
            int len = bytes.getInt(pos);
            applyFrame(bytes, pos, len);
            offset += len;
            pos += len;
        }
    }

    /** Reads and applies everything new. */
    void catchUp(Mode mode) {
        try {
            Uninterruptible.run(() -> {
                scan(mode);
            });
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "cannot read page log " + dir, e);
        }
    }

    private void scan(Mode mode) throws IOException {
        if (segment == 0) {
            List<Long> segs = Segments.list(dir);
            if (segs.isEmpty()) {
                return;
            }
            segment = segs.get(0);
            offset = 0;
        }
        while (true) {
            FileChannel ch = reader.channel(segment);
            if (ch == null) {
                if (!jumpPastMissing()) {
                    return;
                }
                continue;
            }
            long size = ch.size();
            boolean zeroEnd = false;
            while (offset < size) {
                long frameLen = readOne(ch, size, mode);
                if (frameLen == RETRY) {
                    size = ch.size();
                    continue;
                }
                if (frameLen == ZERO_END) {
                    zeroEnd = true;
                    break;
                }
                if (frameLen < 0) {
                    return; // a tail not yet written, or cut off
                }
                offset += frameLen;
            }
            // at the end of this segment: move on if a later one exists
            if (Files.exists(Segments.path(dir, segment + 1))) {
                if (zeroEnd) {
                    if (!zeroHeaderAt(ch, offset)) {
                        continue; // written just before the roll
                    }
                    long junk = nonZeroEnd(ch, offset, ch.size());
                    if (junk > offset) {
                        throw new StrataException(
                                ErrorCode.CORRUPTION,
                                "page log " + dir + ": segment " + segment + " ends with zeros at offset " + offset
                                        + " but holds data after it, up to offset " + junk + ", before the tail");
                    }
                } else if (ch.size() > offset) {
                    continue; // it grew before the roll
                }
                segment++;
                offset = 0;
                continue;
            }
            if (zeroEnd && mode == Mode.CLAIM) {
                checkZeroTail(ch);
            }
            if (!Files.exists(Segments.path(dir, segment)) && jumpPastMissing()) {
                continue;
            }
            return;
        }
    }

    /** Moves to the first existing segment above the current one; false if there is none. */
    private boolean jumpPastMissing() throws IOException {
        for (long s : Segments.list(dir)) {
            if (s > segment) {
                segment = s;
                offset = 0;
                return true;
            }
        }
        return false;
    }

    /** Applies the frame at {@code offset}; returns its length, or -1 at a (possibly cut) damaged tail. */
    private long readOne(FileChannel ch, long size, Mode mode) throws IOException {
        long left = size - offset;
        int len = -1;
        if (left >= Frame.HEADER) {
            header.clear();
            while (header.hasRemaining() && ch.read(header, offset + header.position()) >= 0) {
                // fill
            }
            len = header.getInt(Frame.OFF_LENGTH);
            if (len == 0 && isZero(header)) {
                return ZERO_END; // preallocated space: the end of valid data
            }
        } else if (left > 0 && nonZeroEnd(ch, offset, offset + left) == offset) {
            return ZERO_END; // a few zeros short of a header (a segment size that is no multiple of 64)
        }
        if (len >= Frame.HEADER && len <= Frame.MAX_FRAME && len <= left) {
            ByteBuffer frame = SegmentReader.readFully(ch, offset, len);
            if (frame.remaining() == len
                    && frame.getInt(Frame.OFF_CRC) == Frame.crc(crc, frame, Frame.OFF_VERSION, len)) {
                applyFrame(frame, 0, len);
                return len;
            }
        }
        return damaged(ch, size, mode, len);
    }

    private static boolean isZero(ByteBuffer h) {
        for (int i = 0; i < Frame.HEADER; i += Long.BYTES) {
            if (h.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the frame header at {@code at} is all zeros (or missing). */
    private boolean zeroHeaderAt(FileChannel ch, long at) throws IOException {
        ByteBuffer h = SegmentReader.readFully(ch, at, Frame.HEADER);
        return h.remaining() < Frame.HEADER || isZero(h);
    }

    /** The end of the last non-zero byte in {@code [from, to)} of {@code ch}, or {@code from} if all are zero. */
    private static long nonZeroEnd(FileChannel ch, long from, long to) throws IOException {
        long end = from;
        for (long at = from; at < to; at += ZERO_CHECK_CHUNK) {
            int n = (int) Math.min(ZERO_CHECK_CHUNK, to - at);
            ByteBuffer chunk = SegmentReader.readFully(ch, at, n);
            int got = chunk.remaining();
            if (chunk.mismatch(ZEROS.duplicate().limit(got)) >= 0) {
                int i = got - 1;
                while (chunk.get(i) == 0) {
                    i--;
                }
                end = at + i + 1;
            }
            if (got < n) {
                break;
            }
        }
        return end;
    }

    /**
     * A claim at a zero header in the newest segment: zeros to the end of the file are its normal end; anything
     * else after it is damage before the tail (when it holds a valid frame) or an unacknowledged write's remains,
     * which are cut off with the zeros (the writer preallocates again).
     */
    private void checkZeroTail(FileChannel ch) throws IOException {
        long size = ch.size();
        long junk = nonZeroEnd(ch, offset, size);
        if (junk == offset) {
            return;
        }
        long valid = nextValidFrame(ch, junk);
        String where = "segment " + segment + " offset " + offset + " (zero header, non-zero bytes up to offset " + junk
                + ", file size " + size + ")";
        if (valid >= 0) {
            throw new StrataException(
                    ErrorCode.CORRUPTION,
                    "page log " + dir + ": damaged record in " + where + ", followed by a valid record at offset "
                            + valid);
        }
        LOG.warn("page log {}: cutting off a torn tail at {}", dir, where);
        try (FileChannel w = FileChannel.open(Segments.path(dir, segment), StandardOpenOption.WRITE)) {
            w.truncate(offset);
            w.force(true);
        }
    }

    /** Applies the frame of {@code len} bytes at absolute index {@code at} of {@code f}. */
    private void applyFrame(ByteBuffer f, int at, int len) {
        int version = f.get(at + Frame.OFF_VERSION);
        RecordKind kind = RecordKind.of(f.get(at + Frame.OFF_KIND));
        long location = Segments.location(segment, offset);
        if (version != Frame.VERSION || kind == null) {
            throw new StrataException(
                    ErrorCode.CORRUPTION,
                    "page log " + dir + ": record at " + FileLogIndex.describe(location) + " has unknown version "
                            + version + " or kind " + f.get(at + Frame.OFF_KIND));
        }
        byte[] payload = NO_BYTES;
        if (kind == RecordKind.COMPLETION || kind == RecordKind.EPOCH) {
            payload = new byte[len - Frame.HEADER];
            f.get(at + Frame.HEADER, payload);
        }
        if (kind == RecordKind.MARK) {
            reader.closeBelow(f.getLong(at + Frame.OFF_B)); // a reclaim copied everything below forward
        }
        index.apply(
                kind,
                f.getShort(at + Frame.OFF_FLAGS),
                f.getInt(at + Frame.OFF_TYPE),
                f.getLong(at + Frame.OFF_EPOCH),
                f.getLong(at + Frame.OFF_LSN),
                f.getLong(at + Frame.OFF_A),
                f.getLong(at + Frame.OFF_B),
                f.getLong(at + Frame.OFF_C),
                f.getLong(at + Frame.OFF_D),
                len - Frame.HEADER,
                payload,
                location);
    }

    private long damaged(FileChannel ch, long size, Mode mode, int len) throws IOException {
        if (ch.size() != size) {
            return RETRY; // the writer appended while we read: look again with the new size
        }
        if (segment == tailSegment && offset == tailOffset && size == tailSize && mode == Mode.READ) {
            return -1;
        }
        String where =
                "segment " + segment + " offset " + offset + " (length field " + len + ", file size " + size + ")";
        if (Files.exists(Segments.path(dir, segment + 1))) {
            if (mode == Mode.READ && validAt(ch, ch.size())) {
                return RETRY; // finished just before the roll
            }
            throw new StrataException(
                    ErrorCode.CORRUPTION, "page log " + dir + ": damaged record in " + where + ", before the tail");
        }
        long valid = nextValidFrame(ch, nonZeroEnd(ch, offset, size));
        if (valid >= 0 && mode == Mode.READ && validAt(ch, size)) {
            return RETRY; // the writer finished the frame while we looked further
        }
        if (valid >= 0) {
            throw new StrataException(
                    ErrorCode.CORRUPTION,
                    "page log " + dir + ": damaged record in " + where + ", followed by a valid record at offset "
                            + valid);
        }
        if (mode == Mode.CLAIM) {
            LOG.warn("page log {}: cutting off a torn tail at {}", dir, where);
            try (FileChannel w = FileChannel.open(Segments.path(dir, segment), StandardOpenOption.WRITE)) {
                w.truncate(offset);
                w.force(true);
            }
            tailSegment = -1;
            return -1;
        }
        tailSegment = segment;
        tailOffset = offset;
        tailSize = size;
        return -1;
    }

    /** Whether the frame at {@code offset} is (now) whole and valid. */
    private boolean validAt(FileChannel ch, long size) throws IOException {
        ByteBuffer h = SegmentReader.readFully(ch, offset, Frame.HEADER);
        if (h.remaining() < Frame.HEADER) {
            return false;
        }
        int len = h.getInt(Frame.OFF_LENGTH);
        if (len < Frame.HEADER || len > Frame.MAX_FRAME || len > size - offset) {
            return false;
        }
        ByteBuffer f = SegmentReader.readFully(ch, offset, len);
        return f.remaining() == len && f.getInt(Frame.OFF_CRC) == Frame.crc(crc, f, Frame.OFF_VERSION, len);
    }

    /** The offset of the first valid frame in {@code (offset, size)} after the damaged one at {@code offset}, or -1. */
    private long nextValidFrame(FileChannel ch, long size) throws IOException {
        long rest = size - offset;
        if (rest <= Frame.HEADER || rest > Integer.MAX_VALUE) {
            return -1;
        }
        ByteBuffer tail = SegmentReader.readFully(ch, offset, (int) rest);
        int n = tail.remaining();
        for (int p = 1; p + Frame.HEADER <= n; p++) {
            int len = tail.getInt(p);
            if (len < Frame.HEADER || len > n - p || tail.get(p + Frame.OFF_VERSION) != Frame.VERSION) {
                continue;
            }
            if (tail.getInt(p + Frame.OFF_CRC) == Frame.crc(crc, tail, p + Frame.OFF_VERSION, p + len)) {
                return offset + p;
            }
        }
        return -1;
    }
}
