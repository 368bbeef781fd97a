package io.stratadb.sql.jdbc;

import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Handler;
import org.apache.calcite.avatica.HandlerImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.jdbc.StrataJdbcFactory;

/**
 * The JDBC driver for {@code jdbc:strata:} URLs, registered with {@link java.sql.DriverManager} when loaded
 * (and listed in {@code META-INF/services/java.sql.Driver}).
 *
 * <p>URL: {@code jdbc:strata:[key=value[;key=value]*]} with the keys of {@link
 * io.stratadb.api.EngineConfig#fromProperties} ({@code path}, {@code pagelog}, {@code role}, {@code durability},
 * {@code timestamps}, {@code cache}, {@code node}, {@code pickup}) plus {@code name} for a named in-memory
 * database. No {@code path} means in memory.
 *
 * <p>Invariants: every connection has its own engine session; connections to one database share one engine
 * (see {@link EngineRegistry}).
 *
 * <p>Thread safety: thread-safe.
 */
public final class StrataDriver extends Driver {
    /** The URL prefix. */
    public static final String PREFIX = "jdbc:strata:";

    /** The product version reported in metadata. */
    public static final String VERSION = "0.1.0";

    static {
        new StrataDriver().register();
    }

    public StrataDriver() {
        super(StrataPrepare::new);
    }

    @Override
    protected String getConnectStringPrefix() {
        return PREFIX;
    }

    @Override
    protected String getFactoryClassName(JdbcVersion jdbcVersion) {
        return StrataJdbcFactory.class.getName();
    }

    @Override
    protected DriverVersion createDriverVersion() {
        return new DriverVersion("StrataDB JDBC Driver", VERSION, "StrataDB", VERSION, true, 0, 1, 0, 1);
    }

    @Override
    protected Handler createHandler() {
        return new HandlerImpl() {
            @Override
            public void onConnectionInit(AvaticaConnection connection) throws SQLException {
                StrataJdbcFactory.open(connection);
            }

            @Override
            public void onConnectionClose(AvaticaConnection connection) {
                StrataJdbcFactory.release(connection);
            }
        };
    }

    @Override
    public Meta createMeta(AvaticaConnection connection) {
        return StrataJdbcFactory.newMeta(connection, StrataMetaColumnFactory.INSTANCE);
    }
}
