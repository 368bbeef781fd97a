package io.stratadb.engine.pagelog.file;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The exclusive lock every write to a page-log directory takes: a {@link FileLock} on its {@code LOCK} file
 * (against other processes) under a JVM-wide {@link ReentrantLock} per directory (file locks are per process, so
 * two instances in one JVM must also exclude each other). Claims update the epoch under it and writers check the
 * epoch under it, which is what makes fencing work without the old writer's cooperation.
 *
 * <p>Invariants: at most one holder per directory across all processes; the lock file channel stays open for
 * the JVM's life.
 *
 * <p>Thread safety: thread-safe.
 */
final class DirectoryLock {
    private static final ConcurrentHashMap<Path, DirectoryLock> LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final ReentrantLock jvmLock = new ReentrantLock();

    // replaced only by the thread holding jvmLock (inside lock(), which GuardedBy cannot follow)
    private FileChannel channel;

    // set and cleared only by the thread holding jvmLock (across lock()/unlock(), which GuardedBy cannot follow)
    private @Nullable FileLock held;

    private DirectoryLock(Path dir) {
        this.dir = dir;
        this.channel = openChannel(dir);
    }

    private static FileChannel openChannel(Path dir) {
        try {
            return FileChannel.open(
                    dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "cannot open the lock file of page log " + dir, e);
        }
    }

    /** The lock of {@code dir} (an absolute, normalized path). */
    static DirectoryLock of(Path dir) {
        return LOCKS.computeIfAbsent(dir, DirectoryLock::new);
    }

    /** Takes the lock (blocking); the caller must {@link #unlock()} in a finally block. */
    void lock() {
        jvmLock.lock();
        try {
            if (!channel.isOpen()) {
                channel = openChannel(dir); // an interrupted holder closed it
            }
            FileChannel ch = channel;
            held = Uninterruptible.call(ch::lock);
        } catch (IOException | RuntimeException e) {
            jvmLock.unlock();
            throw new StrataException(ErrorCode.IO_ERROR, "cannot lock page log " + dir, e);
        }
    }

    /** Releases the lock taken by {@link #lock()}. */
    void unlock() {
        FileLock fl = held;
        held = null;
        try {
            if (fl != null) {
                fl.release();
            }
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "cannot unlock page log " + dir, e);
        } finally {
            jvmLock.unlock();
        }
    }
}
