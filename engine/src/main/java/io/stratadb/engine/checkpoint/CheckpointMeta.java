package io.stratadb.engine.checkpoint;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.engine.row.ByteSink;
import io.stratadb.engine.row.ByteSource;
import java.util.zip.CRC32C;

/**
 * The metadata of one checkpoint, stored byte-identical in the local turtle and in the page log's completion
 * record, so that start-up can tell which of the two is current (seed 002).
 *
 * <p>Format (version 1): {@code 'C' 'K' | u8 version | i64 catalogLsn | i32 catalogCrc | i64 checkpointTs |
 * i64 oldestTs | i64 pointLsn | i64 replayFrom | i32 tables | u32 CRC32C of the preceding bytes}.
 *
 * <p>Invariants: (1) {@code replayFrom <= pointLsn + 1}; (2) a payload failing its checks fails with
 * CORRUPTION.
 *
 * <p>Thread safety: immutable.
 *
 * @param catalogLsn LSN of the catalogue root page written by this checkpoint
 * @param catalogCrc CRC32C of the catalogue root payload
 * @param checkpointTs the checkpoint (stable) timestamp: exactly the updates durable at or below it are in it
 * @param oldestTs the oldest timestamp at the consistent point
 * @param pointLsn the newest log LSN at the consistent point: commit records above it are not in the checkpoint
 * @param replayFrom recovery replays log records from this LSN on (commit records at or below {@code pointLsn}
 *     only if their durable timestamp is above {@code checkpointTs}; prepare records always)
 * @param tables number of tables in the checkpoint
 */
public record CheckpointMeta(
        long catalogLsn, int catalogCrc, long checkpointTs, long oldestTs, long pointLsn, long replayFrom, int tables) {
    /** The format version. */
    public static final int VERSION = 1;

    public byte[] encode() {
        ByteSink out = new ByteSink(64);
        out.put('C').put('K').put(VERSION);
        out.putLong(catalogLsn).putInt(catalogCrc).putLong(checkpointTs).putLong(oldestTs);
        out.putLong(pointLsn).putLong(replayFrom).putInt(tables);
        byte[] body = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        out.putInt((int) crc.getValue());
        return out.toByteArray();
    }

    /** Decodes checkpoint metadata; {@code where} names its source in error messages. */
    public static CheckpointMeta decode(byte[] b, String where) {
        if (b.length < 8) {
            throw corrupt(where, "too short (" + b.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteSource tail = new ByteSource(b, b.length - 4, 4);
        if (tail.getInt() != (int) crc.getValue()) {
            throw corrupt(where, "checksum mismatch");
        }
        ByteSource in = new ByteSource(b, 0, b.length - 4);
        if (in.get() != 'C' || in.get() != 'K') {
            throw corrupt(where, "bad magic");
        }
        int v = in.get();
        if (v != VERSION) {
            throw corrupt(where, "unknown version " + v);
        }
        CheckpointMeta m = new CheckpointMeta(
                in.getLong(), in.getInt(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getInt());
        if (in.hasRemaining()) {
            throw corrupt(where, "trailing bytes");
        }
        return m;
    }

    private static StrataException corrupt(String where, String why) {
        return new StrataException(ErrorCode.CORRUPTION, "checkpoint metadata in " + where + " is corrupt: " + why);
    }
}
