package io.stratadb.engine.pagelog.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Names and addresses of segment files: {@code seg-NNNNNNNNNNNNNNNN.log}, numbered from 1; a record's location
 * is {@code segment << 40 | offset}.
 *
 * <p>Invariants: segment numbers increase in log order; a segment is at most 1 TiB.
 *
 * <p>Thread safety: stateless.
 */
final class Segments {
    private static final String PREFIX = "seg-";
    private static final String SUFFIX = ".log";
    private static final int SHIFT = 40;

    private Segments() {}

    static Path path(Path dir, long segment) {
        String digits = Long.toString(segment);
        StringBuilder name = new StringBuilder(PREFIX.length() + 16 + SUFFIX.length()).append(PREFIX);
        for (int i = digits.length(); i < 16; i++) {
            name.append('0');
        }
        return dir.resolve(name.append(digits).append(SUFFIX).toString());
    }

    static long location(long segment, long offset) {
        return (segment << SHIFT) | offset;
    }

    static long segmentOf(long location) {
        return location >>> SHIFT;
    }

    static long offsetOf(long location) {
        return location & ((1L << SHIFT) - 1);
    }

    /** The segment numbers present in {@code dir}, ascending. */
    static List<Long> list(Path dir) throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.startsWith(PREFIX) && n.endsWith(SUFFIX)) {
                    try {
                        out.add(Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length())));
                    } catch (NumberFormatException e) {
                        // not one of ours
                    }
                }
            });
        }
        out.sort(null);
        return out;
    }
}
