package io.stratadb.engine;

import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.StorageProvider;

/**
 * The {@code strata} storage provider, registered in {@code META-INF/services}.
 *
 * <p>Invariants: {@link #name()} is always {@value #NAME}; every {@link #open} returns a new engine.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class StrataProvider implements StorageProvider {
    /** The provider's name. */
    public static final String NAME = "strata";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Engine open(EngineConfig config) {
        return StrataEngine.open(config);
    }
}
