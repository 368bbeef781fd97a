package io.stratadb.engine;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * The exclusive lock on a database directory ({@code <path>/LOCK}), held while an engine has it open.
 *
 * <p>Invariants: at most one engine, in any process, holds the lock of a directory; {@link #close()} releases
 * it so another process can open the directory.
 *
 * <p>Thread safety: thread-safe. Ownership: the engine that acquired it closes it.
 */
final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates {@code dir} if needed and locks it; DATABASE_LOCKED if another engine holds it. */
    static DirectoryLock acquire(Path dir) {
        Path file = dir.resolve("LOCK");
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                throw new StrataException(
                        ErrorCode.DATABASE_LOCKED, "database " + dir + " is in use by another process (" + file + ")");
            }
            return new DirectoryLock(ch, l);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new StrataException(
                    ErrorCode.DATABASE_LOCKED, "database " + dir + " is already open in this process", e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StrataException(ErrorCode.IO_ERROR, "cannot lock database directory " + dir, e);
        } catch (StrataException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(@Nullable FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the lock attempt already failed; nothing more to release
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "cannot release the database lock", e);
        }
    }
}
