package io.stratadb.api.pagelog;

/**
 * A page-log backend, found with {@link java.util.ServiceLoader} by its URI {@link #scheme()}.
 *
 * <p>Thread safety: thread-safe.
 *
 * @since 0.1
 */
public interface PageLogProvider {
    /** The URI scheme this backend serves, for example {@code file}. */
    String scheme();

    /** Opens the page log at {@code uri}; several nodes (processes) may open one page log at once. */
    PageLog open(java.net.URI uri, PageLogOptions options);
}
