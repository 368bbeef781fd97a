package io.stratadb.api.pagelog;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * Look-up of {@link PageLogProvider}s by URI scheme; a scheme served by two classes fails the look-up naming
 * both.
 *
 * <p>Thread safety: thread-safe (no state).
 *
 * @since 0.1
 */
public final class PageLogProviders {
    private PageLogProviders() {}

    /** Every provider on the class path, by scheme. */
    public static Map<String, PageLogProvider> all() {
        Map<String, PageLogProvider> byScheme = new LinkedHashMap<>();
        @Nullable ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = PageLogProviders.class.getClassLoader();
        ClassLoader[] loaders =
                context == null || context == own ? new ClassLoader[] {own} : new ClassLoader[] {context, own};
        for (ClassLoader loader : loaders) {
            for (PageLogProvider p : ServiceLoader.load(PageLogProvider.class, loader)) {
                PageLogProvider other = byScheme.putIfAbsent(p.scheme(), p);
                if (other != null && other.getClass() != p.getClass()) {
                    throw new StrataException(
                            ErrorCode.INVALID_ARGUMENT,
                            "two page-log providers serve the scheme '" + p.scheme() + "': "
                                    + other.getClass().getName() + " and "
                                    + p.getClass().getName());
                }
            }
        }
        return byScheme;
    }

    /** Opens the page log named by {@code uri} with the provider of its scheme. */
    public static PageLog open(URI uri, PageLogOptions options) {
        String scheme = uri.getScheme();
        Map<String, PageLogProvider> all = all();
        PageLogProvider p = scheme == null ? null : all.get(scheme);
        if (p == null) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "no page-log provider for '" + uri + "'; known schemes " + all.keySet());
        }
        return p.open(uri, options);
    }
}
