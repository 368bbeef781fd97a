package org.apache.calcite.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.calcite.avatica.Meta;
import org.jspecify.annotations.Nullable;

/**
 * A {@code jdbc:strata:} statement: Calcite's, with every failure translated to a classified SQLException.
 *
 * <p>Invariants: no failure leaves it other than as a classified SQLException (see {@code SqlErrors}).
 *
 * <p>Thread safety: as JDBC: one thread at a time.
 */
final class StrataStatementImpl extends CalciteStatement {
    StrataStatementImpl(
            StrataConnectionImpl connection,
            Meta.@Nullable StatementHandle h,
            int resultSetType,
            int resultSetConcurrency,
            int resultSetHoldability) {
        super(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        try {
            return super.execute(sql);
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        try {
            return super.executeQuery(sql);
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        try {
            return super.executeLargeUpdate(sql);
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    /**
     * Runs the statements of {@code addBatch(String)} one by one (see {@code StrataMetaImpl.prepareAndExecuteBatch});
     * a failure is a {@link java.sql.BatchUpdateException} with the counts of the statements before it.
     */
    @Override
    public long[] executeLargeBatch() throws SQLException {
        try {
            return super.executeLargeBatch();
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw BatchFailure.toSqlException(e);
        }
    }
}
