package io.stratadb.engine.checkpoint;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.engine.row.ByteSink;
import io.stratadb.engine.row.ByteSource;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The catalogue root of a checkpoint: every table with its schema, its page ids in key order and its page-id
 * counter; stored as page {@link #PAGE_ID} of the reserved table {@link #TABLE_ID}.
 *
 * <p>Format (version 1): {@code 'C' 'R' | u8 version | i64 nextTableId | varint tables | tables x { i64 id |
 * varint schemaLen | schema (SchemaCodec) | i64 nextPageId | varint pages | pages x i64 pageId } | u32 CRC32C}.
 *
 * <p>Invariants: (1) table ids are distinct and below {@code nextTableId}; (2) a payload failing its checks
 * fails with CORRUPTION.
 *
 * <p>Thread safety: immutable.
 *
 * @param nextTableId the table-id counter
 * @param tables the tables
 */
public record CatalogRoot(long nextTableId, List<TableRoot> tables) {
    /** The reserved page-log table id of the catalogue (user tables start at 1). */
    public static final long TABLE_ID = 0;

    /** The page id of the catalogue root. */
    public static final long PAGE_ID = 100;

    /** The format version. */
    public static final int VERSION = 1;

    public CatalogRoot {
        tables = List.copyOf(tables);
    }

    /**
     * One table of the catalogue root.
     *
     * @param id table id
     * @param schema the schema encoded by {@code SchemaCodec}
     * @param nextPageId the table's page-id counter
     * @param pageIds its page ids in key order
     */
    @SuppressWarnings("ArrayRecordComponent") // encoded schema bytes, never mutated
    public record TableRoot(long id, byte[] schema, long nextPageId, List<Long> pageIds) {
        public TableRoot {
            pageIds = List.copyOf(pageIds);
        }
    }

    public byte[] encode() {
        ByteSink out = new ByteSink(256);
        out.put('C').put('R').put(VERSION).putLong(nextTableId).putVarInt(tables.size());
        for (TableRoot t : tables) {
            out.putLong(t.id()).putVarInt(t.schema().length).put(t.schema());
            out.putLong(t.nextPageId()).putVarInt(t.pageIds().size());
            for (long p : t.pageIds()) {
                out.putLong(p);
            }
        }
        byte[] body = out.toByteArray();
        out.putInt(crc(body, body.length));
        return out.toByteArray();
    }

    /** CRC32C of the first {@code n} bytes. */
    static int crc(byte[] b, int n) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, n);
        return (int) crc.getValue();
    }

    /** Decodes a catalogue root page; {@code where} names it in error messages. */
    public static CatalogRoot decode(byte[] b, String where) {
        if (b.length < 8) {
            throw corrupt(where, "too short");
        }
        if (new ByteSource(b, b.length - 4, 4).getInt() != crc(b, b.length - 4)) {
            throw corrupt(where, "checksum mismatch");
        }
        ByteSource in = new ByteSource(b, 0, b.length - 4);
        if (in.get() != 'C' || in.get() != 'R') {
            throw corrupt(where, "bad magic");
        }
        int v = in.get();
        if (v != VERSION) {
            throw corrupt(where, "unknown version " + v);
        }
        long next = in.getLong();
        int n = in.getVarInt();
        List<TableRoot> tables = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = in.getLong();
            byte[] schema = in.getBytes(in.getVarInt());
            long nextPage = in.getLong();
            int pages = in.getVarInt();
            List<Long> ids = new ArrayList<>();
            for (int p = 0; p < pages; p++) {
                ids.add(in.getLong());
            }
            if (id >= next) {
                throw corrupt(where, "table id " + id + " is not below the counter " + next);
            }
            tables.add(new TableRoot(id, schema, nextPage, ids));
        }
        if (in.hasRemaining()) {
            throw corrupt(where, "trailing bytes");
        }
        return new CatalogRoot(next, tables);
    }

    private static StrataException corrupt(String where, String why) {
        return new StrataException(ErrorCode.CORRUPTION, "catalogue root " + where + " is corrupt: " + why);
    }
}
