package org.apache.calcite.jdbc;

import java.util.Properties;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.jspecify.annotations.Nullable;

/**
 * The Calcite configuration of one {@code jdbc:strata:} connection, with the settings Calcite reads on every
 * statement execution ({@code spark}, {@code autoTemp}, {@code timeZone}, {@code locale}) parsed once.
 *
 * <p>Calcite's own configuration re-parses the connection properties (upper-casing every key) on each call, and
 * calls happen several times per execution; the properties of an open connection never change.
 *
 * <p>Invariants: every getter returns what {@link CalciteConnectionConfigImpl} returns for the same properties.
 *
 * <p>Thread safety: immutable after construction.
 */
final class StrataConnectionConfig extends CalciteConnectionConfigImpl {
    private final boolean spark;
    private final boolean autoTemp;
    private final @Nullable String timeZone;
    private final @Nullable String locale;

    StrataConnectionConfig(Properties properties) {
        super(properties);
        this.spark = super.spark();
        this.autoTemp = super.autoTemp();
        this.timeZone = super.timeZone();
        this.locale = super.locale();
    }

    @Override
    public boolean spark() {
        return spark;
    }

    @Override
    public boolean autoTemp() {
        return autoTemp;
    }

    @Override
    @SuppressWarnings("NullAway") // Calcite declares a non-null String but returns null when the property is unset
    public String timeZone() {
        return timeZone;
    }

    @Override
    @SuppressWarnings("NullAway") // as timeZone()
    public String locale() {
        return locale;
    }
}
