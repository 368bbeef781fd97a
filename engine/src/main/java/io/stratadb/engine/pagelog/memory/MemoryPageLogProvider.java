package io.stratadb.engine.pagelog.memory;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProvider;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code memory:} page-log backend, registered in {@code META-INF/services}. {@code memory:NAME} names one
 * log per JVM; every open of the same name returns a new view of it.
 *
 * <p>Invariants: a store, once created, lives as long as the JVM (a reopened "node" finds its data), unless
 * {@link #drop(String)} removes it.
 *
 * <p>Thread safety: thread-safe.
 */
public final class MemoryPageLogProvider implements PageLogProvider {
    /** The URI scheme. */
    public static final String SCHEME = "memory";

    private static final ConcurrentHashMap<String, MemoryPageLogStore> STORES = new ConcurrentHashMap<>();

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public PageLog open(URI uri, PageLogOptions options) {
        String name = nameOf(uri);
        MemoryPageLogStore store = STORES.computeIfAbsent(name, MemoryPageLogStore::new);
        return new MemoryPageLog(uri, store, options);
    }

    /** Forgets the log {@code memory:name} (views already open keep working on the old data). */
    public static void drop(String name) {
        STORES.remove(name);
    }

    private static String nameOf(URI uri) {
        if (!SCHEME.equals(uri.getScheme())) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "not a memory: page-log URI: " + uri);
        }
        String name = uri.getSchemeSpecificPart();
        if (name == null || name.isEmpty()) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT, "memory: page-log URI needs a name, e.g. memory:node-1; got " + uri);
        }
        return name;
    }
}
