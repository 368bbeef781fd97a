package io.stratadb.engine.pagelog.file;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's side of the segments: frames are encoded into a pending buffer and written at the end of valid
 * data of the newest segment in one positional write per flush, rolling to a new segment when it would pass the
 * size limit. With synced writes the space ahead of the end is <em>preallocated</em>: {@link #extendLocked()}
 * (run by the {@link Preallocator} thread) fills the current segment with zeros a little ahead of the writer and
 * prepares the next segment as a zero-filled spare file ({@code seg-N.spare}, renamed into place at the roll),
 * so that a commit's {@code fdatasync} overwrites existing blocks and does not also commit a new file size.
 *
 * <p>Invariants: (1) only bytes of whole frames are written, at {@code size} (the end of valid data), in one
 * {@code write} call per flush where the OS allows; bytes past {@code size} are zeros (or, after a crash, the
 * remains of an unacknowledged write); (2) a segment is forced before the next one is started (when writes are
 * synced), so a durable record never follows a lost one, and it is then cut to its valid end, so that only the
 * newest segment has zeros after its end; (3) zeros are written only at or past {@code allocated}, which is never
 * below {@code size}, and only under the directory lock with this writer's epoch checked there, so zeros never
 * overwrite a frame, of this writer or of one that claimed the directory later.
 *
 * <p>Thread safety: frame encoding is externally serialized (the page log's lock); every change of the segment
 * files (writes, rolls, {@link #extendLocked()}, {@link #trimLocked()}) happens under the directory lock; the
 * fields read by the preallocating thread are volatile. {@link #channel()} may be forced by another thread.
 */
final class SegmentWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentWriter.class);
    private static final int INITIAL = 64 << 10;
    /**
     * Zeros are added to the current segment in pieces of this size, each forced before the next: a commit's
     * {@code fdatasync} of the same file must also write whatever zeros are still dirty, so pieces stay small.
     */
    static final int CHUNK = 64 << 10;
    /** The spare (another file, which no commit forces) is filled in pieces of this size. */
    static final int SPARE_CHUNK = 1 << 20;
    /** The current segment is kept zero-filled this far past the end of valid data. */
    static final int AHEAD = 2 << 20;

    private static final String SPARE_SUFFIX = ".spare";
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(SPARE_CHUNK);

    private final Path dir;
    private final long segmentBytes;
    private final boolean syncWrites;
    private final CRC32C crc = new CRC32C();
    private final List<FileChannel> retired = new ArrayList<>();
    private ByteBuffer pending = ByteBuffer.allocateDirect(INITIAL);
    // the fields below change under the directory lock; volatile for the preallocating thread's checks
    private volatile @Nullable FileChannel channel;
    private volatile long segment;
    private volatile long size;
    private volatile long allocated;
    private volatile @Nullable FileChannel spare;
    private volatile long spareAllocated;

    SegmentWriter(Path dir, long segmentBytes, boolean syncWrites) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.syncWrites = syncWrites;
    }

    /**
     * Opens {@code seg} (created if missing) for writing at {@code validEnd}, the end of its valid data (bytes
     * past it are zeros or a cut tail). The caller holds the directory lock.
     */
    void open(long seg, long validEnd) throws IOException {
        closeChannel();
        FileChannel ch = FileChannel.open(Segments.path(dir, seg), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long length = ch.size();
        if (validEnd > length) {
            ch.close();
            throw new IOException("segment " + seg + " of " + dir + " is " + length + " bytes, shorter than its valid"
                    + " end " + validEnd);
        }
        channel = ch;
        segment = seg;
        size = validEnd;
        allocated = length;
        if (length == 0) {
            forceDirectory();
        }
    }

    /** Deletes spare files left by an earlier writer (the caller holds the directory lock after a claim). */
    void deleteSpares() throws IOException {
        closeSpare();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(SPARE_SUFFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The end of valid data in the current segment. */
    long size() {
        return size;
    }

    /** Whether the preallocating thread has something to do (a cheap check for the flush path). */
    boolean wantsSpace() {
        long s = size;
        if (channel == null || s >= segmentBytes) {
            return false;
        }
        return allocated < Math.min(segmentBytes, s + AHEAD / 2)
                || (s >= segmentBytes / 2 && spareAllocated < segmentBytes);
    }

    /**
     * One step of preallocation, called with the directory lock held and this writer's epoch checked: writes one
     * piece of zeros, either past the end of the current segment (when less than half of {@link #AHEAD} is left
     * ahead of the valid end; never past the segment size) or, once the current segment is half full, into the spare file of the next
     * segment. Returns the channel written, which the caller forces after releasing the lock, or null if there
     * is nothing to do.
     */
    @Nullable
    FileChannel extendLocked() throws IOException {
        FileChannel ch = channel;
        if (ch == null) {
            return null;
        }
        long s = size;
        // only below the low-water mark, and then a whole piece: extending by the few bytes each commit wrote
        // would make every step an append (a size change for the journal) and a force racing the commits' own
        if (allocated < Math.min(segmentBytes, s + AHEAD / 2)) {
            long from = Math.max(allocated, s);
            long n = Math.min(CHUNK - from % CHUNK, segmentBytes - from); // pieces end on CHUNK boundaries
            writeZeros(ch, from, n);
            allocated = from + n;
            return ch;
        }
        if (s < segmentBytes / 2 || spareAllocated >= segmentBytes) {
            return null;
        }
        FileChannel sp = spare;
        if (sp == null) {
            sp = FileChannel.open(
                    sparePath(segment + 1),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            spare = sp;
            spareAllocated = 0;
        }
        long at = spareAllocated;
        int n = (int) Math.min(SPARE_CHUNK, segmentBytes - at);
        writeZeros(sp, at, n);
        spareAllocated = at + n;
        return sp;
    }

    private static void writeZeros(FileChannel ch, long at, long n) throws IOException {
        ByteBuffer z = ZEROS.duplicate().clear().limit((int) n);
        Uninterruptible.run(() -> {
            while (z.hasRemaining()) {
                ch.write(z, at + z.position());
            }
        });
    }

    private Path sparePath(long seg) {
        return dir.resolve(Segments.path(dir, seg).getFileName() + SPARE_SUFFIX);
    }

    /**
     * Cuts the current segment to its valid end and deletes the spare (a clean close: the directory then holds
     * only valid data). The caller holds the directory lock with this writer's epoch.
     */
    void trimLocked() throws IOException {
        FileChannel ch = channel;
        if (ch != null && allocated > size) {
            long end = size;
            Uninterruptible.run(() -> {
                ch.truncate(end);
            });
            allocated = end;
        }
        FileChannel sp = spare;
        long next = segment + 1;
        closeSpare();
        if (sp != null) {
            Files.deleteIfExists(sparePath(next));
        }
    }

    private void closeSpare() throws IOException {
        FileChannel sp = spare;
        spare = null;
        spareAllocated = 0;
        if (sp != null) {
            sp.close();
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
        add(kind, flags, type, epoch, lsn, a, b, c, d, payload, 0, payload.length);
    }

    /** Encodes a frame whose payload is {@code payload[offset, offset + length)} into the pending buffer. */
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
            byte[] payload,
            int offset,
            int length) {
        ensure(Frame.HEADER + length);
        Frame.encode(pending, crc, kind, flags, type, epoch, lsn, a, b, c, d, payload, offset, length);
    }

    /**
     * Encodes a frame of a kind that is not a log or page record (no flags, no record type, the fourth kind
     * specific long 0) into the pending buffer.
     */
    @SuppressWarnings("TooManyParameters")
    void addMarker(RecordKind kind, long epoch, long lsn, long a, long b, long c, byte[] payload) {
        add(kind, 0, 0, epoch, lsn, a, b, c, 0, payload);
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
                    ch.write(pending, start + pending.position());
                }
            });
        } finally {
            pending.clear();
        }
        size = start + n;
        if (size > allocated) {
            allocated = size; // outran the preallocation: this write grew the file
        }
        return new Written(segment, start, pending.duplicate().position(0).limit(n));
    }

    /**
     * Starts the next segment, forcing the current one first when writes are synced and cutting it to its valid
     * end; the next segment is the spare if one was prepared. The caller holds the directory lock.
     */
    void roll() throws IOException {
        FileChannel old = channel();
        if (syncWrites) {
            force(old);
        }
        if (allocated > size) {
            long end = size;
            Uninterruptible.run(() -> {
                old.truncate(end);
            });
        }
        retired.add(old);
        channel = null;
        long next = segment + 1;
        FileChannel sp = spare;
        if (sp != null) {
            long spareLength = spareAllocated;
            spare = null;
            spareAllocated = 0;
            try {
                Files.move(sparePath(next), Segments.path(dir, next), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                LOG.warn("page log {}: cannot use the spare of segment {}: {}", dir, next, e.toString());
                sp.close();
                open(next, 0);
                return;
            }
            channel = sp;
            segment = next;
            size = 0;
            allocated = spareLength;
            forceDirectory(); // the new name must be durable before a record in it is acknowledged
            return;
        }
        open(next, 0);
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
        closeSpare();
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
