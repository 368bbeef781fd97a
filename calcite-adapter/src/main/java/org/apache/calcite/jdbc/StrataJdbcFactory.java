package org.apache.calcite.jdbc;

import io.stratadb.sql.jdbc.SqlErrors;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Properties;
import java.util.TimeZone;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaResultSetMetaData;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC object factory of the {@code jdbc:strata:} driver: it creates StrataDB's connection, statements,
 * result sets, metadata and Meta, all subclasses of Calcite's JDBC classes.
 *
 * <p>Why this shim lives in Calcite's package {@code org.apache.calcite.jdbc}: Calcite's connection class
 * ({@code CalciteConnectionImpl}) is package-private and casts its Meta to {@code CalciteMetaImpl}, whose
 * constructor, statement and result-set classes are reachable only from this package. Subclassing them here is
 * the only way to give the driver real transactions (commit, rollback, auto-commit on by default), SQLSTATEs on
 * every error, {@code supportsTransactions() == true} and primary keys in metadata, without wrapping every JDBC
 * object. It works on the class path, not on the module path (split package). The Calcite version is pinned in
 * the root POM and the driver's tests cover these classes, so an incompatible Calcite upgrade fails the build.
 *
 * <p>Invariants: every object it creates is one of the {@code Strata*Impl} classes of this package.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class StrataJdbcFactory extends CalciteFactory {
    public StrataJdbcFactory() {
        super(4, 1);
    }

    /** Opens the engine session of a new connection; called by the driver's handler. */
    public static void open(AvaticaConnection connection) throws SQLException {
        ((StrataConnectionImpl) connection).open();
    }

    /** Releases the engine session of a closing connection; called by the driver's handler. */
    public static void release(AvaticaConnection connection) {
        ((StrataConnectionImpl) connection).release();
    }

    /** The Meta of a connection. */
    public static Meta newMeta(AvaticaConnection connection, CalciteMetaColumnFactory columns) {
        return new StrataMetaImpl((StrataConnectionImpl) connection, columns);
    }

    @Override
    public AvaticaConnection newConnection(
            UnregisteredDriver driver,
            AvaticaFactory factory,
            String url,
            Properties info,
            @Nullable CalciteSchema rootSchema,
            @Nullable JavaTypeFactory typeFactory) {
        CalciteSchema root = rootSchema != null ? rootSchema : CalciteSchema.createRootSchema(false, false);
        return new StrataConnectionImpl((Driver) driver, factory, url, info, root, typeFactory);
    }

    @Override
    public AvaticaStatement newStatement(
            AvaticaConnection connection,
            Meta.@Nullable StatementHandle h,
            int resultSetType,
            int resultSetConcurrency,
            int resultSetHoldability) {
        return new StrataStatementImpl(
                (StrataConnectionImpl) connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public AvaticaPreparedStatement newPreparedStatement(
            AvaticaConnection connection,
            Meta.@Nullable StatementHandle h,
            Meta.Signature signature,
            int resultSetType,
            int resultSetConcurrency,
            int resultSetHoldability)
            throws SQLException {
        return new StrataPreparedStatementImpl(
                (StrataConnectionImpl) connection,
                h,
                signature,
                resultSetType,
                resultSetConcurrency,
                resultSetHoldability);
    }

    @Override
    public CalciteResultSet newResultSet(
            AvaticaStatement statement,
            QueryState state,
            Meta.Signature signature,
            TimeZone timeZone,
            Meta.Frame firstFrame)
            throws SQLException {
        ResultSetMetaData metaData = newResultSetMetaData(statement, signature);
        return new StrataResultSetImpl(
                statement, (CalcitePrepare.CalciteSignature<?>) signature, metaData, timeZone, firstFrame);
    }

    @Override
    public StrataDatabaseMetaDataImpl newDatabaseMetaData(AvaticaConnection connection) {
        return new StrataDatabaseMetaDataImpl((StrataConnectionImpl) connection);
    }

    @Override
    public ResultSetMetaData newResultSetMetaData(AvaticaStatement statement, Meta.Signature signature) {
        return new AvaticaResultSetMetaData(statement, null, signature);
    }

    /** Translates a failure to a classified SQLException. */
    static SQLException translate(Throwable t) {
        return SqlErrors.translate(t);
    }
}
