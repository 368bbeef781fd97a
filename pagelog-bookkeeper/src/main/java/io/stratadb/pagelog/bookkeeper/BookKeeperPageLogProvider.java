package io.stratadb.pagelog.bookkeeper;

import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProvider;
import java.net.URI;

/**
 * The {@code bookkeeper:} page-log backend, registered in {@code META-INF/services}: {@code
 * bookkeeper://zkhost:port[,zkhost:port]/base/path[?options]} (see {@link PageLogUri}).
 *
 * <p>Invariants: each {@link #open} returns a new instance (node view) of the page log at that base path.
 *
 * <p>Thread safety: thread-safe (stateless).
 */
public final class BookKeeperPageLogProvider implements PageLogProvider {
    @Override
    public String scheme() {
        return PageLogUri.SCHEME;
    }

    @Override
    public PageLog open(URI uri, PageLogOptions options) {
        return new BookKeeperPageLog(uri, PageLogUri.parse(uri), options);
    }
}
