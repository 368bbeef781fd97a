package io.stratadb.engine.pagelog.file;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The {@code EPOCH} file of a page-log directory: the newest claimed epoch and its owner, memory-mapped so that
 * every write can check it cheaply.
 *
 * <p>Layout (256 bytes, big-endian): magic {@code STEP} (4), version 1 (4), epoch (8), owner length (4), owner
 * UTF-8 (up to 200), zero padding, CRC32C of bytes [0, 252) at 252. An all-zero file means epoch 0.
 *
 * <p>Invariants: (1) only changed under the {@link DirectoryLock}; (2) the epoch only grows; (3) forced to disk
 * before a claim returns.
 *
 * <p>Thread safety: thread-safe; readers in other processes see a consistent (epoch, owner) pair by retrying
 * while the CRC does not match.
 */
final class EpochFile implements AutoCloseable {
    static final int SIZE = 256;
    private static final int MAGIC = 0x53544550;
    private static final int MAX_OWNER = 200;
    private static final int OFF_EPOCH = 8;
    private static final int OFF_OWNER_LEN = 16;
    private static final int OFF_OWNER = 20;
    private static final int OFF_CRC = 252;

    /** An epoch and who claimed it. */
    record Claim(long epoch, @Nullable String owner) {}

    private final Path path;
    private final FileChannel channel;
    private final MappedByteBuffer map;

    EpochFile(Path dir, DirectoryLock lock) {
        this.path = dir.resolve("EPOCH");
        try {
            channel = FileChannel.open(
                    path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (channel.size() < SIZE) {
                lock.lock();
                try {
                    if (channel.size() < SIZE) {
                        channel.write(ByteBuffer.allocate(SIZE), 0);
                        channel.force(true);
                    }
                } finally {
                    lock.unlock();
                }
            }
            map = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "cannot open " + path, e);
        }
    }

    /** The current epoch (cheap: one read of mapped memory). */
    long epoch() {
        return map.getLong(OFF_EPOCH);
    }

    /** The current epoch and owner, consistent with each other. */
    Claim read() {
        for (int attempt = 0; ; attempt++) {
            long e1 = map.getLong(OFF_EPOCH);
            int magic = map.getInt(0);
            if (magic == 0 && e1 == 0) {
                return new Claim(0, null);
            }
            int len = map.getInt(OFF_OWNER_LEN);
            byte[] raw = new byte[SIZE];
            map.get(0, raw);
            long e2 = map.getLong(OFF_EPOCH);
            CRC32C crc = new CRC32C();
            crc.update(raw, 0, OFF_CRC);
            boolean ok = magic == MAGIC
                    && e1 == e2
                    && len >= 0
                    && len <= MAX_OWNER
                    && (int) crc.getValue() == ByteBuffer.wrap(raw).getInt(OFF_CRC);
            if (ok) {
                return new Claim(e1, new String(raw, OFF_OWNER, len, StandardCharsets.UTF_8));
            }
            if (attempt > 1000) {
                throw new StrataException(ErrorCode.CORRUPTION, "the epoch file " + path + " fails its checksum");
            }
            Thread.onSpinWait();
        }
    }

    /** Writes a new claim and forces it to disk. The caller holds the directory lock. */
    void write(long epoch, String owner) {
        byte[] o = owner.getBytes(StandardCharsets.UTF_8);
        if (o.length > MAX_OWNER) {
            o = Arrays.copyOf(o, MAX_OWNER);
        }
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(0, MAGIC).putInt(4, 1).putLong(OFF_EPOCH, epoch).putInt(OFF_OWNER_LEN, o.length);
        b.put(OFF_OWNER, o);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, OFF_CRC);
        b.putInt(OFF_CRC, (int) crc.getValue());
        map.put(0, b.array(), 0, OFF_EPOCH);
        map.put(OFF_OWNER_LEN, b.array(), OFF_OWNER_LEN, SIZE - OFF_OWNER_LEN);
        map.putLong(OFF_EPOCH, epoch);
        map.force();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "cannot close " + path, e);
        }
    }
}
