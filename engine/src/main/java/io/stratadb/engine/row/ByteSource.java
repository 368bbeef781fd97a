package io.stratadb.engine.row;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked reader over a byte array, the counterpart of {@link ByteSink}.
 *
 * <p>Invariants: {@code 0 <= pos <= end}; reading past {@code end} throws {@link ErrorCode#CORRUPTION} (stored
 * bytes are only ever read through this class, so a truncated record can never surface as an index error).
 *
 * <p>Thread safety: not thread-safe.
 */
public final class ByteSource {
    // big-endian views: one load instead of a loop over the bytes (the bounds are checked by need() first)
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] buf;
    private final int end;
    private int pos;

    public ByteSource(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteSource(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    private void need(int n) {
        if (n < 0 || end - pos < n) {
            throw new StrataException(
                    ErrorCode.CORRUPTION, "truncated data: need " + n + " bytes at offset " + pos + ", end " + end);
        }
    }

    public int get() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public int getShort() {
        need(2);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public int getInt() {
        need(4);
        int v = (int) INTS.get(buf, pos);
        pos += 4;
        return v;
    }

    public long getLong() {
        need(8);
        long v = (long) LONGS.get(buf, pos);
        pos += 8;
        return v;
    }

    public int getVarInt() {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = get();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) {
                    break;
                }
                return v;
            }
        }
        throw new StrataException(ErrorCode.CORRUPTION, "bad variable-length integer at offset " + pos);
    }

    public byte[] getBytes(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** Reads {@code n} bytes of UTF-8 as a string, without an intermediate copy. */
    public String getUtf8(int n) {
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** Skips {@code n} bytes. */
    public void skip(int n) {
        need(n);
        pos += n;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }
}
