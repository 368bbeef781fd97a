package io.stratadb.sql.xa;

import io.stratadb.sql.jdbc.StrataDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link XADataSource} of {@code jdbc:strata:} databases, for transaction managers (Narayana, Atomikos,
 * application servers). Configured like {@link StrataDataSource}, with JavaBean setters: {@code setUrl}, {@code
 * setPath}, {@code setUser}, {@code setPassword}.
 *
 * <p>Invariants: every {@link #getXAConnection()} opens a new physical connection to the database the URL names
 * (sharing the open engine with other connections to it, as the driver does); XA needs the database's timestamp
 * mode to be {@code auto} (the default).
 *
 * <p>Thread safety: thread-safe once configured.
 */
public class StrataXADataSource extends StrataDataSource implements XADataSource {
    /** An XA data source for {@code jdbc:strata:}; call {@link #setUrl} or {@link #setPath} to choose one. */
    public StrataXADataSource() {}

    @Override
    public XAConnection getXAConnection() throws SQLException {
        return wrap(getConnection());
    }

    @Override
    public XAConnection getXAConnection(@Nullable String user, @Nullable String password) throws SQLException {
        return wrap(getConnection(user, password));
    }

    private static XAConnection wrap(Connection c) throws SQLException {
        try {
            return new StrataXAConnection(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
