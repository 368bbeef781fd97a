package io.stratadb.engine.checkpoint;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * The local turtle file {@code <dir>/turtle}: the metadata of the last checkpoint this node completed, kept
 * with the {@code turtle.prev} protocol of seed 002.
 *
 * <p>Protocol: {@link #install} first writes {@code turtle.prev} as a copy of the current turtle (an empty
 * {@code turtle.prev} means "there was no turtle"), then the new turtle through a temporary file, fsync, atomic
 * rename and a directory fsync; the caller then completes the checkpoint in the page log and calls {@link
 * #dropPrev}. While {@code turtle.prev} exists, start-up compares it with the page log's newest completion.
 *
 * <p>Invariants: (1) the turtle file is always either the old or the new content, never torn; (2) {@code
 * turtle.prev} exists exactly between an install and the matching {@link #dropPrev} or {@link #revert}.
 *
 * <p>Thread safety: externally synchronized by the checkpoint lock (and by the directory lock across
 * processes).
 */
public final class Turtle {
    private final Path file;
    private final Path prev;
    private final Path tmp;
    private final Path dir;

    public Turtle(Path dir) {
        this.dir = dir;
        this.file = dir.resolve("turtle");
        this.prev = dir.resolve("turtle.prev");
        this.tmp = dir.resolve("turtle.tmp");
    }

    /** The current turtle content, or null if there is none. */
    public byte @Nullable [] read() {
        return readFile(file);
    }

    /** The content of {@code turtle.prev}: null if absent, empty if the turtle did not exist before. */
    public byte @Nullable [] readPrev() {
        return readFile(prev);
    }

    /** Writes {@code turtle.prev} (a copy of the current turtle), then the new turtle, durably. */
    public void install(byte[] content) {
        byte[] current = read();
        writeDurably(prev, current == null ? new byte[0] : current);
        writeDurably(file, content);
    }

    /** Removes {@code turtle.prev}: the checkpoint completed in the page log. */
    public void dropPrev() {
        try {
            Files.deleteIfExists(prev);
            syncDir();
        } catch (IOException e) {
            throw io("removing " + prev, e);
        }
    }

    /** Puts the previous turtle back (the checkpoint did not complete) and removes {@code turtle.prev}. */
    public void revert() {
        byte[] p = readPrev();
        if (p == null) {
            return;
        }
        if (p.length == 0) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw io("removing " + file, e);
            }
        } else {
            writeDurably(file, p);
        }
        dropPrev();
    }

    /** Replaces the turtle with {@code content} (start-up adopting the page log's checkpoint), without .prev. */
    public void replace(byte[] content) {
        writeDurably(file, content);
    }

    private void writeDurably(Path target, byte[] content) {
        try {
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDir();
        } catch (IOException e) {
            throw io("writing " + target, e);
        }
    }

    private void syncDir() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory for fsync; the rename is still atomic there
            if (!System.getProperty("os.name", "")
                    .toLowerCase(java.util.Locale.ROOT)
                    .contains("win")) {
                throw e;
            }
        }
    }

    private static byte @Nullable [] readFile(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw io("reading " + p, e);
        }
    }

    private static StrataException io(String what, IOException e) {
        return new StrataException(ErrorCode.IO_ERROR, what + " failed: " + e.getMessage(), e);
    }
}
