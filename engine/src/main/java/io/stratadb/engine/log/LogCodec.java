package io.stratadb.engine.log;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.StrataException;
import io.stratadb.engine.row.ByteSink;
import io.stratadb.engine.row.ByteSource;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

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
 *   <li>HEURISTIC (added in format version 1 without changing older records): txn id (8), flags byte (bit 0
 *       committed, bit 1 resolves), prepare ts, commit ts, durable ts (8 each), xid (format id (4), global id
 *       and branch id as varint length + bytes). FORGET_HEURISTIC: xid as in HEURISTIC.
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
        if (e instanceof LogEntry.TxnEntry t) {
            ByteSink out = ByteSink.exact(sizeOf(t));
            putTxnHeader(
                    out,
                    t.type(),
                    t.txnId(),
                    t.commitTs(),
                    t.durableTs(),
                    t.prepareTs(),
                    t.xid(),
                    t.ops().size());
            for (LogEntry.Op op : t.ops()) {
                putOp(out, op.tableId(), op.key(), op.value());
            }
            return out.putCrc32c().finish();
        }
        ByteSink out = new ByteSink(64);
        out.put(MAGIC).put(VERSION).put(e.type().code());
        if (e instanceof LogEntry.Resolution r) {
            out.putLong(r.txnId()).putLong(r.commitTs()).putLong(r.durableTs());
        } else if (e instanceof LogEntry.CreateTable c) {
            out.putLong(c.tableId()).putVarInt(c.schema().length).put(c.schema());
        } else if (e instanceof LogEntry.DropTable d) {
            out.putLong(d.tableId());
        } else if (e instanceof LogEntry.Timestamps ts) {
            out.putLong(ts.oldest()).putLong(ts.stable());
        } else if (e instanceof LogEntry.RollbackToStable r) {
            out.putLong(r.stable());
        } else if (e instanceof LogEntry.Heuristic h) {
            out.putLong(h.txnId()).put((h.committed() ? 1 : 0) | (h.resolves() ? 2 : 0));
            out.putLong(h.prepareTs()).putLong(h.commitTs()).putLong(h.durableTs());
            putXid(out, h.xid());
        } else if (e instanceof LogEntry.ForgetHeuristic f) {
            putXid(out, f.xid());
        }
        return out.putCrc32c().finish();
    }

    /**
     * Writes the start of a COMMIT or PREPARE payload (magic to op count); the caller then writes {@code opCount}
     * ops with {@link #putOp} and the checksum. {@link #encode} writes its TxnEntry records this way, and the
     * commit path writes its records straight from a transaction's writes the same way, without building entries.
     */
    @SuppressWarnings("TooManyParameters") // one per header field
    public static void putTxnHeader(
            ByteSink out,
            RecordType type,
            long txnId,
            long commitTs,
            long durableTs,
            long prepareTs,
            @Nullable GlobalTxnId xid,
            int opCount) {
        out.put(MAGIC).put(VERSION).put(type.code());
        out.putLong(txnId).putLong(commitTs).putLong(durableTs).putLong(prepareTs);
        if (xid == null) {
            out.put(0);
        } else {
            putXid(out.put(1), xid);
        }
        out.putVarInt(opCount);
    }

    /** Writes one op of a COMMIT or PREPARE payload ({@code value} null: a delete). */
    public static void putOp(ByteSink out, long tableId, byte[] key, byte @Nullable [] value) {
        out.putLong(tableId).putVarInt(key.length).put(key);
        if (value == null) {
            out.put(0);
        } else {
            out.put(1).putVarInt(value.length).put(value);
        }
    }

    /** The bytes {@link #putTxnHeader} writes for a record without an xid, plus the checksum's 4. */
    public static int txnHeaderSize(int opCount) {
        return 3 + 32 + 1 + ByteSink.varIntSize(opCount) + 4;
    }

    /** The bytes {@link #putOp} writes. */
    public static int opSize(byte[] key, byte @Nullable [] value) {
        int n = 8 + ByteSink.varIntSize(key.length) + key.length + 1;
        return value == null ? n : n + ByteSink.varIntSize(value.length) + value.length;
    }

    /** The exact payload size of a COMMIT or PREPARE entry. */
    private static int sizeOf(LogEntry.TxnEntry t) {
        int n = txnHeaderSize(t.ops().size());
        GlobalTxnId x = t.xid();
        if (x != null) {
            n += 4 + ByteSink.varIntSize(x.globalId().length) + x.globalId().length;
            n += ByteSink.varIntSize(x.branchId().length) + x.branchId().length;
        }
        for (LogEntry.Op op : t.ops()) {
            n += opSize(op.key(), op.value());
        }
        return n;
    }

    /**
     * Rewrites the commit and durable timestamps of an encoded COMMIT payload in place and re-computes its
     * checksum: the record is encoded before the commit lock, and its timestamps are chosen under it.
     */
    public static void patchCommitTimestamps(byte[] payload, long commitTs, long durableTs) {
        patchCommitTimestamps(payload, payload.length, commitTs, durableTs);
    }

    /**
     * As {@link #patchCommitTimestamps(byte[], long, long)} for a payload that fills the first {@code length}
     * bytes of {@code buf}; its last 4 bytes (the checksum) may hold anything before the call.
     */
    public static void patchCommitTimestamps(byte[] buf, int length, long commitTs, long durableTs) {
        ByteSink.setLong(buf, COMMIT_TS_OFFSET, commitTs);
        ByteSink.setLong(buf, COMMIT_TS_OFFSET + 8, durableTs);
        CRC32C crc = new CRC32C();
        int end = length - 4;
        crc.update(buf, 0, end);
        ByteSink.setInt(buf, end, (int) crc.getValue());
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
                GlobalTxnId x = in.get() != 0 ? getXid(lsn, in) : null;
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
            case HEURISTIC -> {
                long txn = in.getLong();
                int flags = in.get();
                if ((flags & ~3) != 0) {
                    throw corrupt(lsn, "unknown heuristic flags " + flags);
                }
                long pr = in.getLong();
                long c = in.getLong();
                long d = in.getLong();
                yield new LogEntry.Heuristic(txn, getXid(lsn, in), (flags & 1) != 0, (flags & 2) != 0, pr, c, d);
            }
            case FORGET_HEURISTIC -> new LogEntry.ForgetHeuristic(getXid(lsn, in));
        };
        if (in.hasRemaining()) {
            throw corrupt(lsn, in.remaining() + " trailing bytes");
        }
        return e;
    }

    private static void putXid(ByteSink out, GlobalTxnId x) {
        byte[] g = x.globalId();
        byte[] b = x.branchId();
        out.putInt(x.formatId()).putVarInt(g.length).put(g).putVarInt(b.length).put(b);
    }

    private static GlobalTxnId getXid(long lsn, ByteSource in) {
        int f = in.getInt();
        byte[] g = in.getBytes(in.getVarInt());
        byte[] b = in.getBytes(in.getVarInt());
        if (g.length > GlobalTxnId.MAX_PART || b.length > GlobalTxnId.MAX_PART) {
            throw corrupt(lsn, "xid part too long");
        }
        return new GlobalTxnId(f, g, b);
    }

    private static StrataException corrupt(long lsn, String why) {
        return new StrataException(ErrorCode.CORRUPTION, "log record at LSN " + lsn + ": " + why);
    }
}
