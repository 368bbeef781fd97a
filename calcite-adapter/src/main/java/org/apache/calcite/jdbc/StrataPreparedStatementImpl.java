package org.apache.calcite.jdbc;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.InputStream;
import java.io.Reader;
import java.sql.BatchUpdateException;
import java.sql.NClob;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import org.apache.calcite.avatica.Meta;
import org.jspecify.annotations.Nullable;

/**
 * A {@code jdbc:strata:} prepared statement: planned once at prepare time, run many times; every failure is
 * translated to a classified SQLException.
 *
 * <p>Invariants: no failure leaves it other than as a classified SQLException (see {@code SqlErrors}).
 *
 * <p>Thread safety: as JDBC: one thread at a time.
 */
final class StrataPreparedStatementImpl extends CalcitePreparedStatement {
    StrataPreparedStatementImpl(
            StrataConnectionImpl connection,
            Meta.@Nullable StatementHandle h,
            Meta.Signature signature,
            int resultSetType,
            int resultSetConcurrency,
            int resultSetHoldability)
            throws SQLException {
        super(connection, h, signature, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        try {
            checkParametersSet();
            return super.executeQuery();
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        try {
            checkParametersSet();
            return super.executeLargeUpdate();
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public boolean execute() throws SQLException {
        try {
            checkParametersSet();
            return super.execute();
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    /**
     * Runs the batch in one transaction (see {@code StrataMetaImpl.executeBatch}); a failure is a {@link
     * BatchUpdateException} with the SQLSTATE of the failing row and the update counts of the rows before it.
     */
    @Override
    public long[] executeLargeBatch() throws SQLException {
        try {
            return super.executeLargeBatch();
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw BatchFailure.toSqlException(e);
        }
    }

    /** A parameter left unset is the caller's mistake: say which one, instead of Calcite's internal error. */
    private void checkParametersSet() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        "parameter " + (i + 1) + " of " + slots.length + " is not set; call a setXxx(" + (i + 1)
                                + ", ...) or setNull before executing");
            }
        }
    }

    // ---- JDBC 4 setters that Avatica leaves to the subclass ----

    @Override
    public void setRowId(int parameterIndex, @Nullable RowId x) throws SQLException {
        getSite(parameterIndex).setRowId(x);
    }

    @Override
    public void setNString(int parameterIndex, @Nullable String value) throws SQLException {
        getSite(parameterIndex).setNString(value);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, @Nullable Reader value, long length) throws SQLException {
        getSite(parameterIndex).setNCharacterStream(value, length);
    }

    @Override
    public void setNClob(int parameterIndex, @Nullable NClob value) throws SQLException {
        getSite(parameterIndex).setNClob(value);
    }

    @Override
    public void setClob(int parameterIndex, @Nullable Reader reader, long length) throws SQLException {
        getSite(parameterIndex).setClob(reader, length);
    }

    @Override
    public void setBlob(int parameterIndex, @Nullable InputStream inputStream, long length) throws SQLException {
        getSite(parameterIndex).setBlob(inputStream, length);
    }

    @Override
    public void setNClob(int parameterIndex, @Nullable Reader reader, long length) throws SQLException {
        getSite(parameterIndex).setNClob(reader, length);
    }

    @Override
    public void setSQLXML(int parameterIndex, @Nullable SQLXML xmlObject) throws SQLException {
        getSite(parameterIndex).setSQLXML(xmlObject);
    }

    @Override
    public void setAsciiStream(int parameterIndex, @Nullable InputStream x, long length) throws SQLException {
        getSite(parameterIndex).setAsciiStream(x, length);
    }

    @Override
    public void setBinaryStream(int parameterIndex, @Nullable InputStream x, long length) throws SQLException {
        getSite(parameterIndex).setBinaryStream(x, length);
    }

    @Override
    public void setCharacterStream(int parameterIndex, @Nullable Reader reader, long length) throws SQLException {
        getSite(parameterIndex).setCharacterStream(reader, length);
    }

    @Override
    public void setAsciiStream(int parameterIndex, @Nullable InputStream x) throws SQLException {
        getSite(parameterIndex).setAsciiStream(x);
    }

    @Override
    public void setBinaryStream(int parameterIndex, @Nullable InputStream x) throws SQLException {
        getSite(parameterIndex).setBinaryStream(x);
    }

    @Override
    public void setCharacterStream(int parameterIndex, @Nullable Reader reader) throws SQLException {
        getSite(parameterIndex).setCharacterStream(reader);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, @Nullable Reader value) throws SQLException {
        getSite(parameterIndex).setNCharacterStream(value);
    }

    @Override
    public void setClob(int parameterIndex, @Nullable Reader reader) throws SQLException {
        getSite(parameterIndex).setClob(reader);
    }

    @Override
    public void setBlob(int parameterIndex, @Nullable InputStream inputStream) throws SQLException {
        getSite(parameterIndex).setBlob(inputStream);
    }

    @Override
    public void setNClob(int parameterIndex, @Nullable Reader reader) throws SQLException {
        getSite(parameterIndex).setNClob(reader);
    }
}
