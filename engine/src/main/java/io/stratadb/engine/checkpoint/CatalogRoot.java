package io.stratadb.engine.checkpoint;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.engine.row.ByteSink;
import io.stratadb.engine.row.ByteSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The catalogue root of a checkpoint: every table with its schema, its page ids in key order and its page-id
 * counter; stored as page {@link #PAGE_ID} of the reserved table {@link #TABLE_ID}.
 *
 * <p>Format version 2 (written): {@code 'C' 'R' | u8 version | i64 nextTableId | varint tables | tables x {
 * i64 id | varint schemaLen | schema (SchemaCodec) | i64 nextPageId | varint pages | pages x { i64 pageId | i64
 * lastLsn | i64 baseLsn | varint deltas | varint keys | varint lowKeyLen | lowKey } } | u32 CRC32C}. Version 1
 * (still read) stores only {@code i64 pageId} per page; a v1 page's position and low key are unknown, so it
 * must be read at open. See {@code site/src/site/markdown/page-format.md}.
 *
 * <p>Invariants: (1) table ids are distinct and below {@code nextTableId}; (2) a payload failing its checks
 * fails with CORRUPTION; (3) in version 2 every page holds at least one key, {@code 0 < baseLsn <= lastLsn},
 * and low keys strictly increase within a table (they route the tree's descent to the page).
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

    /** The format version written. */
    public static final int VERSION = 2;

    /** The first format version, still read (page ids only). */
    public static final int VERSION_1 = 1;

    public CatalogRoot {
        tables = List.copyOf(tables);
    }

    /**
     * One page of a table in the catalogue root: where its chain ends and which keys it holds.
     *
     * @param pageId the page id
     * @param lastLsn LSN of the chain's newest record at the checkpoint (0 = unknown: a version 1 root)
     * @param baseLsn LSN of the chain's full image (0 = unknown)
     * @param deltaCount deltas on top of the full image
     * @param keys keys the page holds
     * @param lowKey its first key (empty when unknown)
     */
    @SuppressWarnings("ArrayRecordComponent") // a key shared with the page's content, never mutated
    public record PageRef(long pageId, long lastLsn, long baseLsn, int deltaCount, int keys, byte[] lowKey) {
        /** A page of a version 1 root: only the id is known. */
        public static PageRef idOnly(long pageId) {
            return new PageRef(pageId, 0, 0, 0, 0, new byte[0]);
        }

        /** Whether the chain position and low key are known (version 2), so the page can load as a stub. */
        public boolean located() {
            return lastLsn > 0;
        }
    }

    /**
     * One table of the catalogue root.
     *
     * @param id table id
     * @param schema the schema encoded by {@code SchemaCodec}
     * @param nextPageId the table's page-id counter
     * @param pages its pages in key order
     */
    @SuppressWarnings("ArrayRecordComponent") // encoded schema bytes, never mutated
    public record TableRoot(long id, byte[] schema, long nextPageId, List<PageRef> pages) {
        public TableRoot {
            pages = List.copyOf(pages);
        }

        /** The page ids in key order. */
        public List<Long> pageIds() {
            List<Long> ids = new ArrayList<>(pages.size());
            for (PageRef p : pages) {
                ids.add(p.pageId());
            }
            return ids;
        }
    }

    public byte[] encode() {
        ByteSink out = new ByteSink(256);
        out.put('C').put('R').put(VERSION).putLong(nextTableId).putVarInt(tables.size());
        for (TableRoot t : tables) {
            out.putLong(t.id()).putVarInt(t.schema().length).put(t.schema());
            out.putLong(t.nextPageId()).putVarInt(t.pages().size());
            for (PageRef p : t.pages()) {
                out.putLong(p.pageId()).putLong(p.lastLsn()).putLong(p.baseLsn());
                out.putVarInt(p.deltaCount()).putVarInt(p.keys());
                out.putVarInt(p.lowKey().length).put(p.lowKey());
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
        if (v != VERSION && v != VERSION_1) {
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
            List<PageRef> refs = new ArrayList<>();
            byte[] prevLow = null;
            for (int p = 0; p < pages; p++) {
                if (v == VERSION_1) {
                    refs.add(PageRef.idOnly(in.getLong()));
                    continue;
                }
                PageRef r = new PageRef(
                        in.getLong(),
                        in.getLong(),
                        in.getLong(),
                        in.getVarInt(),
                        in.getVarInt(),
                        in.getBytes(in.getVarInt()));
                if (r.keys() < 1 || r.baseLsn() <= 0 || r.lastLsn() < r.baseLsn() || r.deltaCount() < 0) {
                    throw corrupt(where, "page " + r.pageId() + " of table " + id + " has a bad position or key count");
                }
                if (prevLow != null && Arrays.compareUnsigned(prevLow, r.lowKey()) >= 0) {
                    throw corrupt(where, "low keys of table " + id + " are out of order at page " + r.pageId());
                }
                prevLow = r.lowKey();
                refs.add(r);
            }
            if (id >= next) {
                throw corrupt(where, "table id " + id + " is not below the counter " + next);
            }
            tables.add(new TableRoot(id, schema, nextPage, refs));
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
