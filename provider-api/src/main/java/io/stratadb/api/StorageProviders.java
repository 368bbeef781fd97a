package io.stratadb.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * Look-up of {@link StorageProvider}s by name.
 *
 * <p>Searches the thread's context class loader, then this class's own loader. Two different classes
 * declaring one name make every look-up fail with {@link ErrorCode#INVALID_ARGUMENT}, naming both classes.
 *
 * <p>Thread safety: thread-safe (no state).
 *
 * @since 0.1
 */
public final class StorageProviders {
    private StorageProviders() {}

    /** Every provider on the class path, by name. */
    public static Map<String, StorageProvider> all() {
        List<StorageProvider> found = new ArrayList<>();
        for (ClassLoader loader : loaders()) {
            ServiceLoader.load(StorageProvider.class, loader).forEach(found::add);
        }
        return index(found);
    }

    /** Indexes providers by name; the same class found through two loaders counts once. */
    static Map<String, StorageProvider> index(Iterable<StorageProvider> providers) {
        Map<String, StorageProvider> byName = new LinkedHashMap<>();
        for (StorageProvider p : providers) {
            StorageProvider other = byName.putIfAbsent(p.name(), p);
            if (other != null && other.getClass() != p.getClass()) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        "two storage providers declare the name '" + p.name() + "': "
                                + other.getClass().getName() + " and "
                                + p.getClass().getName());
            }
        }
        return byName;
    }

    /** The provider with that name; fails with INVALID_ARGUMENT naming the known ones if there is none. */
    public static StorageProvider get(String name) {
        Map<String, StorageProvider> all = all();
        StorageProvider p = all.get(name);
        if (p == null) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT, "no storage provider named '" + name + "'; found " + all.keySet());
        }
        return p;
    }

    static ClassLoader[] loaders() {
        @Nullable ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = StorageProviders.class.getClassLoader();
        return context == null || context == own ? new ClassLoader[] {own} : new ClassLoader[] {context, own};
    }
}
