package io.stratadb.pagelog.bookkeeper.codec;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.nio.ByteBuffer;

/**
 * The byte layout of a ledger entry: {@code 'S' 1 kind flags} then eight big-endian longs
 * (epoch, lsn, table, page, backlink, base, ref, aux), the payload length as an int, and the payload.
 * BookKeeper checksums every entry (CRC32C digest), so the layout carries no checksum of its own.
 *
 * <p>Invariants: {@code decode(encode(e))} equals {@code e} field by field; a malformed entry fails with
 * {@code CORRUPTION} naming the ledger and entry.
 *
 * <p>Thread safety: stateless.
 */
public final class EntryCodec {
    /** Bytes before the payload. */
    public static final int HEADER = 4 + 8 * 8 + 4;

    private static final byte MAGIC = 'S';
    private static final byte VERSION = 1;
    private static final int FLAG_COPY = 1;

    private EntryCodec() {}

    /** The stored bytes of {@code e}. */
    public static byte[] encode(Entry e) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + e.payload().length);
        b.put(MAGIC).put(VERSION).put((byte) e.kind().code()).put((byte) (e.copy() ? FLAG_COPY : 0));
        b.putLong(e.epoch()).putLong(e.lsn()).putLong(e.tableId()).putLong(e.pageId());
        b.putLong(e.backlinkLsn()).putLong(e.baseLsn()).putLong(e.refLsn()).putLong(e.aux());
        b.putInt(e.payload().length).put(e.payload());
        return b.array();
    }

    /** Decodes entry {@code entryId} of ledger {@code ledgerId}. */
    public static Entry decode(long ledgerId, long entryId, byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != MAGIC || bytes[1] != VERSION) {
            throw corrupt(ledgerId, entryId, "bad header (" + bytes.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.position(2);
        int code = b.get() & 0xff;
        EntryKind kind = EntryKind.of(code);
        if (kind == null) {
            throw corrupt(ledgerId, entryId, "unknown kind " + code);
        }
        boolean copy = (b.get() & FLAG_COPY) != 0;
        long epoch = b.getLong();
        long lsn = b.getLong();
        long table = b.getLong();
        long page = b.getLong();
        long backlink = b.getLong();
        long base = b.getLong();
        long ref = b.getLong();
        long aux = b.getLong();
        int len = b.getInt();
        if (len != b.remaining()) {
            throw corrupt(ledgerId, entryId, "payload length " + len + " but " + b.remaining() + " bytes follow");
        }
        if (kind.hasLsn() != (lsn > 0)) {
            throw corrupt(ledgerId, entryId, kind + " with LSN " + lsn);
        }
        byte[] payload = new byte[len];
        b.get(payload);
        return new Entry(kind, copy, epoch, lsn, table, page, backlink, base, ref, aux, payload);
    }

    private static StrataException corrupt(long ledgerId, long entryId, String why) {
        return new StrataException(
                ErrorCode.CORRUPTION, "bookkeeper page log: ledger " + ledgerId + " entry " + entryId + ": " + why);
    }
}
