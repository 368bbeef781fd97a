package io.stratadb.api;

/**
 * A storage engine implementation, found with {@link java.util.ServiceLoader} by its declared {@link #name()}.
 *
 * <p>Invariants: {@link #name()} is constant and unique among the providers on the class path; {@link
 * StorageProviders} fails at look-up when two share a name.
 *
 * <p>Thread safety: implementations are thread-safe and stateless apart from what {@link #open} returns.
 *
 * @since 0.1
 */
public interface StorageProvider {
    /** The provider's name, for example {@code strata}. */
    String name();

    /** Opens (or creates) the database the configuration describes. */
    Engine open(EngineConfig config);
}
