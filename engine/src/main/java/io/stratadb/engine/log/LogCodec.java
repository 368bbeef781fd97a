package io.stratadb.engine.log;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.StrataException;
import io.stratadb.engine.row.ByteSink;
import io.stratadb.engine.row.ByteSource;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The versioned binary format of log record payloads.
 *
 * <p>Every payload is {@code 'S'} (0x53), format version {@code 1}, the type code, the body, and a CRC32C of all
 * preceding bytes (4 bytes, big-endian). Bodies (integers big-endian, {@code varint} = unsigned LEB128):
 *
 * <ul>
 *   <li>COMMIT / PREPARE: txn id, commit ts, durable ts, prepare ts (8 bytes each); xid flag byte, and if set
 *       format id (4), global id and branch id (varint length + bytes); op count (varint); per op: table id
 *       (8), key (varint length + bytes), value flag byte (0 = delete) and value (varint length + bytes).
 *   <li>COMMIT_PREPARED / ROLLBACK_PREPARED: txn id, commit ts, durable ts (8 each).
 *   <li>CREATE_TABLE: table id (8), schema (varint length + bytes). DROP_TABLE: table id (8).
 *   <li>TIMESTAMPS: oldest, stable (8 each). ROLLBACK_TO_STABLE: stable (8).
 * </ul>
 *
 * <p>Invariants: {@code decode(t, encode(e)).equals(e)} for every entry; a payload with a bad magic, version,
 * type, checksum, length or trailing bytes fails with CORRUPTION.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class LogCodec {
    /** The payload format version written. */
    public static final int VERSION = 1;

    private static final int MAGIC = 0x53;

    private LogCodec() {}

    /** Offset of the commit timestamp in a COMMIT or PREPARE payload (after magic, version, type, txn id). */
    private static final int COMMIT_TS_OFFSET = 3 + 8;

    /** Encodes an entry. */
    public static byte[] encode(LogEntry e) {
        ByteSink out = e instanceof LogEntry.TxnEntry t ? ByteSink.exact(sizeOf(t)) : new ByteSink(64);
        out.put(MAGIC).put(VERSION).put(e.type().code());
        if (e instanceof LogEntry.TxnEntry t) {
            out.putLong(t.txnId()).putLong(t.commitTs()).putLong(t.durableTs()).putLong(t.prepareTs());
            GlobalTxnId x = t.xid();
            if (x == null) {
                out.put(0);
            } else {
                out.put(1).putInt(x.formatId());
                byte[] g = x.globalId();
                byte[] b = x.branchId();
                out.putVarInt(g.length).put(g).putVarInt(b.length).put(b);
            }
            out.putVarInt(t.ops().size());
            for (LogEntry.Op op : t.ops()) {
                out.putLong(op.tableId()).putVarInt(op.key().length).put(op.key());
                byte[] v = op.value();
                if (v == null) {
                    out.put(0);
                } else {
                    out.put(1).putVarInt(v.length).put(v);
                }
            }
        } else if (e instanceof LogEntry.Resolution r) {
            out.putLong(r.txnId()).putLong(r.commitTs()).putLong(r.durableTs());
        } else if (e instanceof LogEntry.CreateTable c) {
            out.putLong(c.tableId()).putVarInt(c.schema().length).put(c.schema());
        } else if (e instanceof LogEntry.DropTable d) {
            out.putLong(d.tableId());
        } else if (e instanceof LogEntry.Timestamps ts) {
            out.putLong(ts.oldest()).putLong(ts.stable());
        } else if (e instanceof LogEntry.RollbackToStable r) {
            out.putLong(r.stable());
        }
        return out.putCrc32c().finish();
    }

    /** The exact payload size of a COMMIT or PREPARE entry. */
    private static int sizeOf(LogEntry.TxnEntry t) {
        int n = 3 + 32 + 1 + 4;
        GlobalTxnId x = t.xid();
        if (x != null) {
            n += 4 + varIntSize(x.globalId().length) + x.globalId().length;
            n += varIntSize(x.branchId().length) + x.branchId().length;
        }
        n += varIntSize(t.ops().size());
        for (LogEntry.Op op : t.ops()) {
            n += 8 + varIntSize(op.key().length) + op.key().length + 1;
            byte[] v = op.value();
            if (v != null) {
                n += varIntSize(v.length) + v.length;
            }
        }
        return n;
    }

    private static int varIntSize(int v) {
        int n = 1;
        for (int x = v >>> 7; x != 0; x >>>= 7) {
            n++;
        }
        return n;
    }

    /**
     * Rewrites the commit and durable timestamps of an encoded COMMIT payload in place and re-computes its
     * checksum: the record is encoded before the commit lock, and its timestamps are chosen under it.
     */
    public static void patchCommitTimestamps(byte[] payload, long commitTs, long durableTs) {
        putLong(payload, COMMIT_TS_OFFSET, commitTs);
        putLong(payload, COMMIT_TS_OFFSET + 8, durableTs);
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, payload.length - 4);
        int c = (int) crc.getValue();
        int end = payload.length - 4;
        payload[end] = (byte) (c >>> 24);
        payload[end + 1] = (byte) (c >>> 16);
        payload[end + 2] = (byte) (c >>> 8);
        payload[end + 3] = (byte) c;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    /** Decodes the payload of a record of type code {@code typeCode} at {@code lsn} (for messages). */
    public static LogEntry decode(long lsn, int typeCode, byte[] p) {
        try {
            return decodeChecked(lsn, typeCode, p);
        } catch (StrataException e) {
            if (e.code() == ErrorCode.CORRUPTION) {
                throw new StrataException(
                        ErrorCode.CORRUPTION, "log record at LSN " + lsn + " is malformed: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static LogEntry decodeChecked(long lsn, int typeCode, byte[] p) {
        if (p.length < 7) {
            throw corrupt(lsn, "payload of " + p.length + " bytes is too short");
        }
        CRC32C crc = new CRC32C();
        crc.update(p, 0, p.length - 4);
        int stored = new ByteSource(p, p.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw corrupt(lsn, "payload checksum mismatch");
        }
        ByteSource in = new ByteSource(p, 0, p.length - 4);
        if (in.get() != MAGIC) {
            throw corrupt(lsn, "bad magic byte");
        }
        int version = in.get();
        if (version != VERSION) {
            throw corrupt(lsn, "unknown payload version " + version);
        }
        RecordType type = RecordType.of(in.get());
        if (type.code() != typeCode) {
            throw corrupt(lsn, "payload type " + type + " does not match record type " + typeCode);
        }
        LogEntry e = switch (type) {
            case COMMIT, PREPARE -> {
                long txn = in.getLong();
                long c = in.getLong();
                long d = in.getLong();
                long pr = in.getLong();
                GlobalTxnId x = null;
                if (in.get() != 0) {
                    int f = in.getInt();
                    byte[] g = in.getBytes(in.getVarInt());
                    byte[] b = in.getBytes(in.getVarInt());
                    if (g.length > GlobalTxnId.MAX_PART || b.length > GlobalTxnId.MAX_PART) {
                        throw corrupt(lsn, "xid part too long");
                    }
                    x = new GlobalTxnId(f, g, b);
                }
                int n = in.getVarInt();
                List<LogEntry.Op> ops = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    long table = in.getLong();
                    byte[] k = in.getBytes(in.getVarInt());
                    byte[] v = in.get() != 0 ? in.getBytes(in.getVarInt()) : null;
                    ops.add(new LogEntry.Op(table, k, v));
                }
                yield new LogEntry.TxnEntry(type, txn, c, d, pr, x, List.copyOf(ops));
            }
            case COMMIT_PREPARED, ROLLBACK_PREPARED ->
                new LogEntry.Resolution(type, in.getLong(), in.getLong(), in.getLong());
            case CREATE_TABLE -> new LogEntry.CreateTable(in.getLong(), in.getBytes(in.getVarInt()));
            case DROP_TABLE -> new LogEntry.DropTable(in.getLong());
            case TIMESTAMPS -> new LogEntry.Timestamps(in.getLong(), in.getLong());
            case ROLLBACK_TO_STABLE -> new LogEntry.RollbackToStable(in.getLong());
        };
        if (in.hasRemaining()) {
            throw corrupt(lsn, in.remaining() + " trailing bytes");
        }
        return e;
    }

    private static StrataException corrupt(long lsn, String why) {
        return new StrataException(ErrorCode.CORRUPTION, "log record at LSN " + lsn + ": " + why);
    }
}
