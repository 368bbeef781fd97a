package io.stratadb.engine.reconcile;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.engine.row.ByteSink;
import io.stratadb.engine.row.ByteSource;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte format (version 1) of full page images and deltas; see {@code site/src/site/markdown/page-format.md}.
 *
 * <pre>
 *   magic 'S' 'P' | u8 version=1 | u8 kind (0 full, 1 delta) | varint count
 *   count x { varint keyLen | key | varint versions (0 = removed, deltas only)
 *             | versions x { u8 flags (bit0 tombstone) | i64 commitTs | i64 durableTs
 *                            | (not tombstone) varint valueLen | value } }
 *   u32 CRC32C of every byte before it
 * </pre>
 *
 * <p>Invariants: (1) entries are in strictly increasing unsigned key order; (2) a full image holds no removed
 * entry, and no entry whose oldest version is a tombstone; (3) a payload that fails the checksum, the magic, the version or the structure check fails with
 * CORRUPTION (XX001) and is never returned as data.
 *
 * <p>Thread safety: stateless.
 */
public final class PageImageCodec {
    /** The current format version. */
    public static final int VERSION = 1;

    private static final int MAGIC0 = 'S';
    private static final int MAGIC1 = 'P';
    private static final int FLAG_TOMBSTONE = 1;

    private PageImageCodec() {}

    /** Encodes entries as a full image ({@code delta == false}) or a delta. */
    public static byte[] encode(boolean delta, List<ImageEntry> entries) {
        int size = 16;
        for (ImageEntry e : entries) {
            size += e.encodedSize();
        }
        ByteSink out = new ByteSink(size);
        out.put(MAGIC0).put(MAGIC1).put(VERSION).put(delta ? 1 : 0).putVarInt(entries.size());
        for (ImageEntry e : entries) {
            out.putVarInt(e.key().length).put(e.key()).putVarInt(e.versions().size());
            for (StoredVersion sv : e.versions()) {
                byte[] v = sv.value();
                out.put(v == null ? FLAG_TOMBSTONE : 0).putLong(sv.commitTs()).putLong(sv.durableTs());
                if (v != null) {
                    out.putVarInt(v.length).put(v);
                }
            }
        }
        byte[] body = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        out.putInt((int) crc.getValue());
        return out.toByteArray();
    }

    /** A decoded payload. */
    public record Decoded(boolean delta, List<ImageEntry> entries) {}

    /** Decodes a payload; {@code where} names the page for error messages. */
    public static Decoded decode(byte[] payload, String where) {
        if (payload.length < 9) {
            throw corrupt(where, "payload of " + payload.length + " bytes is too short");
        }
        int n = payload.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, n);
        int stored = ((payload[n] & 0xFF) << 24)
                | ((payload[n + 1] & 0xFF) << 16)
                | ((payload[n + 2] & 0xFF) << 8)
                | (payload[n + 3] & 0xFF);
        if (stored != (int) crc.getValue()) {
            throw corrupt(where, "checksum mismatch");
        }
        ByteSource in = new ByteSource(payload, 0, n);
        if (in.get() != MAGIC0 || in.get() != MAGIC1) {
            throw corrupt(where, "bad magic");
        }
        int version = in.get();
        if (version != VERSION) {
            throw corrupt(where, "unknown page format version " + version);
        }
        int kind = in.get();
        if (kind != 0 && kind != 1) {
            throw corrupt(where, "unknown page kind " + kind);
        }
        int count = in.getVarInt();
        List<ImageEntry> entries = new ArrayList<>(Math.min(count, 1 << 16));
        byte[] prev = null;
        for (int i = 0; i < count; i++) {
            byte[] key = in.getBytes(in.getVarInt());
            int nv = in.getVarInt();
            if (nv == 0 && kind == 0) {
                throw corrupt(where, "a full image holds a removed entry");
            }
            List<StoredVersion> versions = new ArrayList<>(Math.min(nv, 64));
            for (int v = 0; v < nv; v++) {
                int flags = in.get();
                if ((flags & ~FLAG_TOMBSTONE) != 0) {
                    throw corrupt(where, "unknown flags " + flags + " at entry " + i);
                }
                long commitTs = in.getLong();
                long durableTs = in.getLong();
                byte[] value = (flags & FLAG_TOMBSTONE) == 0 ? in.getBytes(in.getVarInt()) : null;
                versions.add(new StoredVersion(commitTs, durableTs, value));
            }
            if (nv > 0 && versions.get(nv - 1).value() == null) {
                throw corrupt(where, "the oldest version of entry " + i + " is a tombstone");
            }
            if (prev != null && java.util.Arrays.compareUnsigned(prev, key) >= 0) {
                throw corrupt(where, "keys out of order at entry " + i);
            }
            prev = key;
            entries.add(new ImageEntry(key, versions));
        }
        if (in.hasRemaining()) {
            throw corrupt(where, in.remaining() + " trailing bytes");
        }
        return new Decoded(kind == 1, entries);
    }

    private static StrataException corrupt(String where, String why) {
        return new StrataException(ErrorCode.CORRUPTION, "page " + where + " is corrupt: " + why);
    }
}
