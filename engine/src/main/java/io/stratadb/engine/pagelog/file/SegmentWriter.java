package io.stratadb.engine.pagelog.file;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The writer's side of the segments: frames are encoded into a pending buffer and appended to the newest
 * segment in one write per flush, rolling to a new segment when it would pass the size limit.
 *
 * <p>Invariants: (1) only bytes of whole frames are appended, in one {@code write} call per flush where the OS
 * allows; (2) a segment is forced before the next one is started (when writes are synced), so a durable record
 * never follows a lost one; (3) the segment is opened with {@code APPEND}, so even a misbehaving second writer
 * cannot overwrite bytes.
 *
 * <p>Thread safety: externally serialized (the page log's lock); {@link #channel()} may be forced by another
 * thread.
 */
final class SegmentWriter implements AutoCloseable {
    private static final int INITIAL = 64 << 10;

    private final Path dir;
    private final long segmentBytes;
    private final boolean syncWrites;
    private final CRC32C crc = new CRC32C();
    private final List<FileChannel> retired = new ArrayList<>();
    private ByteBuffer pending = ByteBuffer.allocateDirect(INITIAL);
    private @Nullable FileChannel channel;
    private long segment;
    private long size;

    SegmentWriter(Path dir, long segmentBytes, boolean syncWrites) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.syncWrites = syncWrites;
    }

    /** Opens {@code seg} (created if missing) for appending. */
    void open(long seg) throws IOException {
        closeChannel();
        FileChannel ch = FileChannel.open(
                Segments.path(dir, seg),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        channel = ch;
        segment = seg;
        size = ch.size();
        if (size == 0) {
            forceDirectory();
        }
    }

    long segment() {
        return segment;
    }

    /** The channel of the current segment, for forcing. */
    FileChannel channel() {
        FileChannel ch = channel;
        if (ch == null) {
            throw new StrataException(
                    ErrorCode.INTERNAL, "page log " + dir + ": no segment is open for writing (no epoch claimed)");
        }
        return ch;
    }

    boolean hasPending() {
        return pending.position() > 0;
    }

    int pendingBytes() {
        return pending.position();
    }

    void discardPending() {
        pending.clear();
    }

    /** Encodes a frame into the pending buffer. */
    @SuppressWarnings("TooManyParameters")
    void add(
            RecordKind kind,
            int flags,
            int type,
            long epoch,
            long lsn,
            long a,
            long b,
            long c,
            long d,
            byte[] payload) {
        ensure(Frame.HEADER + payload.length);
        Frame.encode(pending, crc, kind, flags, type, epoch, lsn, a, b, c, d, payload);
    }

    /** Adds an already encoded frame (a copy), rewriting its flags and epoch and re-computing its CRC. */
    void addCopy(ByteBuffer frame, long epoch) {
        int len = frame.getInt(Frame.OFF_LENGTH);
        ensure(len);
        int start = pending.position();
        pending.put(frame.duplicate().position(0).limit(len));
        pending.putShort(
                start + Frame.OFF_FLAGS, (short) (pending.getShort(start + Frame.OFF_FLAGS) | Frame.FLAG_COPY));
        pending.putLong(start + Frame.OFF_EPOCH, epoch);
        pending.putInt(start + Frame.OFF_CRC, Frame.crc(crc, pending, start + Frame.OFF_VERSION, start + len));
    }

    /**
     * What one {@link #writePending} appended: the segment, the offset it started at, and the bytes (a view of
     * the pending buffer, valid until the next {@link #add}).
     */
    record Written(long segment, long start, ByteBuffer bytes) {}

    /**
     * Appends the pending bytes to the current segment, first rolling to a new one if they would pass the size
     * limit (unless {@code mayRoll} is false), and returns what was written (null if nothing was pending). The
     * caller holds the directory lock and has checked its epoch.
     */
    @Nullable
    Written writePending(boolean mayRoll) throws IOException {
        if (pending.position() == 0) {
            return null;
        }
        if (mayRoll && size > 0 && size + pending.position() > segmentBytes) {
            roll();
        }
        FileChannel ch = channel();
        long start = size;
        int n = pending.position();
        pending.flip();
        try {
            Uninterruptible.run(() -> {
                while (pending.hasRemaining()) {
                    size += ch.write(pending);
                }
            });
        } finally {
            pending.clear();
        }
        return new Written(segment, start, pending.duplicate().position(0).limit(n));
    }

    /** Starts the next segment, forcing the current one first when writes are synced. */
    void roll() throws IOException {
        FileChannel old = channel();
        if (syncWrites) {
            force(old);
        }
        retired.add(old);
        channel = null;
        open(segment + 1);
    }

    /** Forces {@code ch} without letting an interrupt close it. */
    static void force(FileChannel ch) throws IOException {
        Uninterruptible.run(() -> {
            ch.force(false);
        });
    }

    /** Whether {@code ch} is the channel of the current segment. */
    boolean isCurrent(FileChannel ch) {
        return ch == channel;
    }

    private void ensure(int more) {
        if (pending.remaining() >= more) {
            return;
        }
        int cap = pending.capacity();
        while (cap - pending.position() < more) {
            cap = Math.multiplyExact(cap, 2);
        }
        ByteBuffer bigger = ByteBuffer.allocateDirect(cap);
        pending.flip();
        bigger.put(pending);
        pending = bigger;
    }

    private void forceDirectory() {
        if (!syncWrites) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some platforms cannot open directories; the segment's own force still covers its data
        }
    }

    /** Closes the channels of earlier segments (after a reclaim deleted them). */
    void closeRetired() throws IOException {
        for (FileChannel ch : retired) {
            ch.close();
        }
        retired.clear();
    }

    private void closeChannel() throws IOException {
        FileChannel ch = channel;
        if (ch != null) {
            retired.add(ch);
            channel = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
        for (FileChannel ch : retired) {
            ch.close();
        }
        retired.clear();
        if (pending.capacity() > INITIAL) {
            pending = ByteBuffer.allocateDirect(INITIAL);
        }
    }
}
