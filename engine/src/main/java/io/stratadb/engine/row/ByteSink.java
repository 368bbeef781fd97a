package io.stratadb.engine.row;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A growable byte buffer used to build keys, rows and log records without intermediate streams.
 *
 * <p>Invariants: (1) {@code size <= buf.length}; (2) bytes at {@code [0, size)} are the written content.
 *
 * <p>Thread safety: not thread-safe; one builder per thread.
 */
public final class ByteSink {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf;
    private int size;

    public ByteSink(int capacity) {
        this(new byte[Math.max(16, capacity)]);
    }

    private ByteSink(byte[] buf) {
        this.buf = buf;
    }

    /** A sink of exactly {@code n} bytes, for content whose size is known: {@link #finish()} then copies nothing. */
    public static ByteSink exact(int n) {
        return new ByteSink(new byte[n]);
    }

    private void ensure(int extra) {
        int need = size + extra;
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    public ByteSink put(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    public ByteSink put(byte[] b) {
        return put(b, 0, b.length);
    }

    public ByteSink put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    public ByteSink putShort(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public ByteSink putInt(int v) {
        ensure(4);
        INT_BE.set(buf, size, v); // one big-endian store, not four byte stores
        size += 4;
        return this;
    }

    public ByteSink putLong(long v) {
        ensure(8);
        LONG_BE.set(buf, size, v);
        size += 8;
        return this;
    }

    /**
     * Writes {@code s} as a varint length and its UTF-8 bytes and returns true if every char is ASCII (whose
     * UTF-8 bytes are the chars themselves); otherwise writes nothing and returns false.
     */
    public boolean putAsciiWithLength(String s) {
        int n = s.length();
        int start = size;
        putVarInt(n);
        ensure(n);
        byte[] b = buf;
        int p = size;
        // one pass that checks and copies: a non-ASCII char takes back what was written
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                size = start;
                return false;
            }
            b[p + i] = (byte) c;
        }
        size = p + n;
        return true;
    }

    /** Writes an unsigned variable-length integer (7 bits per byte, low groups first). */
    public ByteSink putVarInt(int v) {
        ensure(5);
        int x = v;
        while ((x & ~0x7F) != 0) {
            buf[size++] = (byte) ((x & 0x7F) | 0x80);
            x >>>= 7;
        }
        buf[size++] = (byte) x;
        return this;
    }

    /** The number of bytes {@link #putVarInt} writes for {@code v}. */
    public static int varIntSize(int v) {
        int n = 1;
        for (int x = v >>> 7; x != 0; x >>>= 7) {
            n++;
        }
        return n;
    }

    /** Makes room for {@code extra} more bytes, so that many are written without growing the buffer. */
    public ByteSink reserve(int extra) {
        ensure(extra);
        return this;
    }

    /**
     * The sink's own buffer, whose first {@link #size()} bytes are the content (valid until the next write or
     * {@link #reset()}); for callers that hand a range of it on without a copy.
     */
    @SuppressWarnings("mutable") // the point: no copy; see the contract above
    public byte[] array() {
        return buf;
    }

    /** The capacity of the buffer (a reused sink is dropped when it grew large). */
    public int capacity() {
        return buf.length;
    }

    /** Overwrites 8 bytes at {@code pos} (which must already be written). */
    public void setLong(int pos, long v) {
        setLong(buf, pos, v);
    }

    /** Writes {@code v} big-endian at {@code b[pos, pos + 8)}. */
    public static void setLong(byte[] b, int pos, long v) {
        LONG_BE.set(b, pos, v);
    }

    /** Writes {@code v} big-endian at {@code b[pos, pos + 4)}. */
    public static void setInt(byte[] b, int pos, int v) {
        INT_BE.set(b, pos, v);
    }

    /** Appends the CRC32C of everything written so far (4 bytes, big-endian). */
    public ByteSink putCrc32c() {
        CRC32C crc = new CRC32C();
        crc.update(buf, 0, size);
        return putInt((int) crc.getValue());
    }

    public int size() {
        return size;
    }

    public void reset() {
        size = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /**
     * The content, as the sink's own array when it is exactly full (no copy); the sink must not be written or
     * reset afterwards.
     */
    public byte[] finish() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }
}
