package io.stratadb.engine.pagelog.file;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The byte layout of one record in a segment file (big-endian):
 *
 * <pre>
 * offset size field
 *   0     4   length   total bytes of the frame, header included
 *   4     4   crc32c   CRC32C of bytes [8, length)
 *   8     1   version  {@link #VERSION}
 *   9     1   kind     {@link RecordKind} code
 *  10     2   flags    {@link #FLAG_COPY}
 *  12     4   type     log record type (0 for other kinds)
 *  16     8   epoch    the writer's epoch
 *  24     8   lsn      the record's LSN (0 for markers)
 *  32    32   a,b,c,d  four kind-specific longs (see RecordKind)
 *  64     n   payload
 * </pre>
 *
 * <p>Invariants: a frame is valid only if its length is in [64, {@link #MAX_FRAME}], its version is known and
 * its CRC matches.
 *
 * <p>Thread safety: stateless.
 */
final class Frame {
    static final int HEADER = 64;
    static final int VERSION = 1;
    static final int MAX_FRAME = 256 << 20;
    /** The record is a copy of an older one made by reclaim: its LSN is not new. */
    static final int FLAG_COPY = 1;

    static final int OFF_LENGTH = 0;
    static final int OFF_CRC = 4;
    static final int OFF_VERSION = 8;
    static final int OFF_KIND = 9;
    static final int OFF_FLAGS = 10;
    static final int OFF_TYPE = 12;
    static final int OFF_EPOCH = 16;
    static final int OFF_LSN = 24;
    static final int OFF_A = 32;
    static final int OFF_B = 40;
    static final int OFF_C = 48;
    static final int OFF_D = 56;

    private Frame() {}

    /**
     * Writes one frame with payload {@code payload[offset, offset + payloadLength)} at {@code dst}'s position and
     * advances it; {@code dst} must have room.
     */
    @SuppressWarnings("TooManyParameters") // one field per header slot
    static void encode(
            ByteBuffer dst,
            CRC32C crc,
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
            int payloadLength) {
        int start = dst.position();
        int length = HEADER + payloadLength;
        dst.putInt(length)
                .putInt(0)
                .put((byte) VERSION)
                .put((byte) kind.code)
                .putShort((short) flags)
                .putInt(type)
                .putLong(epoch)
                .putLong(lsn)
                .putLong(a)
                .putLong(b)
                .putLong(c)
                .putLong(d)
                .put(payload, offset, payloadLength);
        dst.putInt(start + OFF_CRC, crc(crc, dst, start + OFF_VERSION, start + length));
    }

    /**
     * The CRC32C of {@code buf[from, to)} (absolute indexes). {@code buf}'s position and limit are moved for the
     * computation and restored (no view is allocated per frame), so the caller must own {@code buf}.
     */
    static int crc(CRC32C crc, ByteBuffer buf, int from, int to) {
        crc.reset();
        int position = buf.position();
        int limit = buf.limit();
        try {
            buf.limit(to).position(from);
            crc.update(buf);
        } finally {
            buf.limit(limit).position(position);
        }
        return (int) crc.getValue();
    }
}
