package io.stratadb.engine;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test page-log backend, scheme {@code faulty}: {@code faulty:/abs/dir} opens a {@code file:} page log on that
 * directory wrapped in a {@link FaultyPageLog}, so a test can make its flushes fail through the public SPI.
 *
 * <p>Invariants: the wrapper of the last open of a URI is found with {@link #last(URI)}.
 *
 * <p>Thread safety: thread-safe.
 */
public final class FaultyPageLogProvider implements PageLogProvider {
    private static final Map<URI, FaultyPageLog> OPENED = new ConcurrentHashMap<>();

    @Override
    public String scheme() {
        return "faulty";
    }

    @Override
    public PageLog open(URI uri, PageLogOptions options) {
        PageLog real = new io.stratadb.engine.pagelog.file.FilePageLogProvider()
                .open(Path.of(uri.getPath()).toUri(), options);
        FaultyPageLog f = new FaultyPageLog(real);
        OPENED.put(uri, f);
        return f;
    }

    /** The wrapper the last open of {@code uri} returned. */
    static FaultyPageLog last(URI uri) {
        FaultyPageLog f = OPENED.get(uri);
        if (f == null) {
            throw new StrataException(ErrorCode.INVALID_STATE, "no faulty page log was opened at " + uri);
        }
        return f;
    }
}
