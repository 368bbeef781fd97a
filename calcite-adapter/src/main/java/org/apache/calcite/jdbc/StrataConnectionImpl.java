package org.apache.calcite.jdbc;

import io.stratadb.api.CheckpointInfo;
import io.stratadb.api.Engine;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TimestampKind;
import io.stratadb.sql.calcite.StatementContext;
import io.stratadb.sql.calcite.StrataSchema;
import io.stratadb.sql.jdbc.ConnectionSession;
import io.stratadb.sql.jdbc.StrataConnection;
import io.stratadb.sql.sys.SysSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.schema.SchemaPlus;
import org.jspecify.annotations.Nullable;

/**
 * A {@code jdbc:strata:} connection: Calcite's connection with an engine session, real transactions and
 * classified errors. See {@link StrataJdbcFactory} for why it lives in this package.
 *
 * <p>Invariants: (1) after {@link #open()} the root schema holds {@code PUBLIC} (the engine's tables) and
 * {@code SYS}, and {@code PUBLIC} is the default schema; (2) result sets are CLOSE_CURSORS_AT_COMMIT; (3)
 * closing the connection rolls back its open transaction and releases the engine; (4) once closed, every method
 * but {@code close}, {@code isClosed} and {@code isValid} fails with CLOSED (08003), never with a SQLException
 * without a SQLSTATE (Avatica's own {@code checkOpen} is overridden to that end).
 *
 * <p>Thread safety: as JDBC: one thread at a time; the session itself is thread-safe so that a pool may close
 * the connection from another thread.
 */
final class StrataConnectionImpl extends CalciteConnectionImpl implements StrataConnection, StatementContext.Source {
    private volatile @Nullable ConnectionSession session;
    private volatile @Nullable CalciteConnectionConfig config;

    StrataConnectionImpl(
            Driver driver,
            AvaticaFactory factory,
            String url,
            Properties info,
            CalciteSchema rootSchema,
            @Nullable JavaTypeFactory typeFactory) {
        super(driver, factory, url, info, rootSchema, typeFactory);
    }

    /**
     * The connection's configuration, parsed once: Calcite parses the connection properties again on every call,
     * several times per statement execution, and the properties of an open connection never change.
     */
    @Override
    public CalciteConnectionConfig config() {
        CalciteConnectionConfig c = config;
        if (c == null) {
            c = new StrataConnectionConfig(info);
            config = c;
        }
        return c;
    }

    /** A data context that resolves Calcite's built-in variables only if the statement reads one. */
    @Override
    public DataContext createDataContext(Map<String, Object> parameterValues, @Nullable CalciteSchema rootSchema) {
        if (config().spark()) {
            return super.createDataContext(parameterValues, rootSchema);
        }
        return new StrataDataContext(
                this,
                getTypeFactory(),
                rootSchema,
                parameterValues,
                () -> super.createDataContext(parameterValues, rootSchema));
    }

    void open() throws SQLException {
        try {
            ConnectionSession s = ConnectionSession.open(info);
            session = s;
            SchemaPlus root = getRootSchema();
            root.add(StrataSchema.NAME, new StrataSchema(s.engine()));
            root.add(SysSchema.NAME, new SysSchema());
            setSchema(StrataSchema.NAME);
        } catch (RuntimeException | AssertionError | LinkageError e) {
            release();
            throw StrataJdbcFactory.translate(e);
        }
    }

    void release() {
        ConnectionSession s = session;
        if (s != null) {
            s.close();
        }
    }

    /** The session, or CLOSED if the connection is closed. */
    ConnectionSession session() {
        ConnectionSession s = session;
        if (s == null || s.isClosed()) {
            throw new StrataException(ErrorCode.CLOSED, "connection is closed");
        }
        return s;
    }

    @Override
    public StatementContext statementContext() {
        return session();
    }

    // ---- transactions, with classified errors ----

    @Override
    public void commit() throws SQLException {
        try {
            super.commit();
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public void rollback() throws SQLException {
        try {
            super.rollback();
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        try {
            super.setAutoCommit(autoCommit);
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        try {
            super.setTransactionIsolation(level);
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public int getHoldability() throws SQLException {
        checkNotClosed();
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkNotClosed();
        if (holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            throw StrataJdbcFactory.translate(
                    new StrataException(ErrorCode.UNSUPPORTED, "result sets are always CLOSE_CURSORS_AT_COMMIT"));
        }
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw StrataJdbcFactory.translate(
                    new StrataException(ErrorCode.INVALID_ARGUMENT, "isValid timeout must not be negative"));
        }
        ConnectionSession s = session;
        return !isClosed() && s != null && !s.isClosed();
    }

    @Override
    public CalcitePreparedStatement prepareStatement(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        try {
            return super.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public CalciteStatement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        try {
            return super.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    // ---- savepoints: not supported (a failed statement is undone on its own, see the JDBC guide) ----

    @Override
    public Savepoint setSavepoint() throws SQLException {
        throw savepointsUnsupported();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        throw savepointsUnsupported();
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        throw savepointsUnsupported();
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        throw savepointsUnsupported();
    }

    private SQLException savepointsUnsupported() throws SQLException {
        checkNotClosed();
        return StrataJdbcFactory.translate(new StrataException(
                ErrorCode.UNSUPPORTED,
                "JDBC savepoints are not supported; a failed statement is undone on its own and the transaction"
                        + " keeps its earlier statements"));
    }

    /** Avatica's check behind most connection methods: CLOSED (08003) instead of a SQLException without state. */
    @Override
    protected void checkOpen() throws SQLException {
        checkNotClosed();
    }

    private void checkNotClosed() throws SQLException {
        if (isClosed()) {
            throw StrataJdbcFactory.translate(new StrataException(ErrorCode.CLOSED, "connection is closed"));
        }
    }

    // ---- administration ----

    @Override
    public Engine engine() throws SQLException {
        checkNotClosed();
        return admin(() -> session().engine());
    }

    @Override
    public CheckpointInfo checkpoint() throws SQLException {
        return admin(() -> session().engine().checkpoint());
    }

    @Override
    public void stepUp() throws SQLException {
        admin(() -> {
            session().engine().stepUp();
            return null;
        });
    }

    @Override
    public void stepDown() throws SQLException {
        admin(() -> {
            session().engine().stepDown();
            return null;
        });
    }

    @Override
    public Optional<CheckpointInfo> pickUpCheckpoint() throws SQLException {
        return admin(() -> session().engine().pickUpCheckpoint());
    }

    @Override
    public void setTimestamp(TimestampKind kind, long value) throws SQLException {
        admin(() -> {
            session().engine().setTimestamp(kind, value);
            return null;
        });
    }

    @Override
    public void rollbackToStable() throws SQLException {
        admin(() -> {
            session().engine().rollbackToStable();
            return null;
        });
    }

    /** An administrative action. */
    private interface Action<T> {
        T run();
    }

    private <T> T admin(Action<T> action) throws SQLException {
        checkNotClosed();
        try {
            return action.run();
        } catch (RuntimeException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface == StrataConnection.class || iface == Connection.class) {
            return iface.cast(this);
        }
        return super.unwrap(iface);
    }
}
