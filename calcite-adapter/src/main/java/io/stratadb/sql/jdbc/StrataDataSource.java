package io.stratadb.sql.jdbc;

import io.stratadb.api.ErrorCode;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataSource} for {@code jdbc:strata:} databases, configured with JavaBean setters (as HikariCP's
 * {@code dataSourceClassName} mode and application servers do).
 *
 * <p>Invariants: {@link #getConnection()} opens a new connection with the URL and credentials set at that
 * moment; the default URL is {@code jdbc:strata:} (the default in-memory database).
 *
 * <p>Thread safety: thread-safe for {@code getConnection}; configure it before sharing it.
 */
public class StrataDataSource implements DataSource {
    private static final StrataDriver DRIVER = new StrataDriver();

    private volatile String url = StrataDriver.PREFIX;
    private volatile @Nullable String user;
    private volatile @Nullable String password;
    private volatile int loginTimeout;
    private volatile @Nullable PrintWriter logWriter;

    /** A data source for {@code jdbc:strata:}; call {@link #setUrl} to choose another database. */
    public StrataDataSource() {}

    public String getUrl() {
        return url;
    }

    /** Sets the {@code jdbc:strata:} URL. */
    public void setUrl(String url) {
        this.url = url;
    }

    /** Sets the database directory, as the URL {@code jdbc:strata:path=<path>}. */
    public void setPath(String path) {
        this.url = StrataDriver.PREFIX + "path=" + path;
    }

    public @Nullable String getUser() {
        return user;
    }

    public void setUser(@Nullable String user) {
        this.user = user;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public Connection getConnection(@Nullable String username, @Nullable String pass) throws SQLException {
        String u = url;
        if (!u.startsWith(StrataDriver.PREFIX)) {
            throw SqlErrors.create(
                    "not a StrataDB URL: " + u + " (expected " + StrataDriver.PREFIX + "...)",
                    ErrorCode.INVALID_ARGUMENT.sqlState(),
                    null);
        }
        Properties info = new Properties();
        if (username != null) {
            info.setProperty("user", username);
        }
        if (pass != null) {
            info.setProperty("password", pass);
        }
        Connection c = DRIVER.connect(u, info);
        if (c == null) {
            throw SqlErrors.create("driver refused URL " + u, ErrorCode.INVALID_ARGUMENT.sqlState(), null);
        }
        return c;
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("StrataDB logs through SLF4J, not java.util.logging", "0A000");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw SqlErrors.create("not a wrapper for " + iface.getName(), ErrorCode.INVALID_ARGUMENT.sqlState(), null);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
