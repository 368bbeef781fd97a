package io.stratadb.engine.pagelog.file;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProvider;
import java.net.URI;
import java.nio.file.Path;

/**
 * The {@code file:} page-log backend, registered in {@code META-INF/services}. {@code file:/abs/dir} names a
 * directory (created if missing); the optional query {@code ?segmentBytes=N} sets the segment size (default 64
 * MiB).
 *
 * <p>Invariants: every open returns a new instance (node); instances on one directory coordinate only through
 * the files ({@code EPOCH}, {@code LOCK}, segments), so they may live in different processes.
 *
 * <p>Thread safety: stateless.
 */
public final class FilePageLogProvider implements PageLogProvider {
    /** The URI scheme. */
    public static final String SCHEME = "file";

    /** The default segment size. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public PageLog open(URI uri, PageLogOptions options) {
        if (!SCHEME.equals(uri.getScheme())
                || uri.getPath() == null
                || uri.getPath().isEmpty()) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT, "not a file: page-log URI with an absolute path: " + uri);
        }
        Path dir = Path.of(uri.getPath()).toAbsolutePath().normalize();
        return new FilePageLog(uri, dir, options, segmentBytes(uri));
    }

    private static long segmentBytes(URI uri) {
        String q = uri.getQuery();
        if (q == null || q.isEmpty()) {
            return DEFAULT_SEGMENT_BYTES;
        }
        for (String part : q.split("&", -1)) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            if (key.equals("segmentBytes")) {
                try {
                    long n = Long.parseLong(value);
                    if (n >= 4096) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        "segmentBytes must be a number >= 4096 in page-log URI " + uri + ", got '" + value + "'");
            }
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT, "unknown option '" + key + "' in page-log URI " + uri);
        }
        return DEFAULT_SEGMENT_BYTES;
    }
}
