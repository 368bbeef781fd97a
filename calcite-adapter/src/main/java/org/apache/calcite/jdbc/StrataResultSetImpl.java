package org.apache.calcite.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;

/**
 * A {@code jdbc:strata:} result set: Calcite's, with classified errors from {@link #next()} and, in auto-commit
 * mode, the end of its read transaction when it closes.
 *
 * <p>Invariants: no failure leaves it other than as a classified SQLException (see {@code SqlErrors}).
 *
 * <p>Thread safety: as JDBC: one thread at a time.
 */
final class StrataResultSetImpl extends CalciteResultSet {
    private boolean released;

    StrataResultSetImpl(
            AvaticaStatement statement,
            CalcitePrepare.CalciteSignature<?> signature,
            ResultSetMetaData metaData,
            TimeZone timeZone,
            Meta.Frame firstFrame)
            throws SQLException {
        super(statement, signature, metaData, timeZone, firstFrame);
    }

    @Override
    public boolean next() throws SQLException {
        try {
            return super.next();
        } catch (RuntimeException | SQLException | AssertionError | LinkageError e) {
            throw StrataJdbcFactory.translate(e);
        }
    }

    @Override
    public void close() {
        boolean wasOpen = !released;
        released = true;
        super.close();
        if (wasOpen && statement != null && statement.connection instanceof StrataConnectionImpl c) {
            try {
                c.session().resultSetClosed(statement.getId());
            } catch (RuntimeException e) {
                // The connection is closed or the commit of a read-only transaction failed: nothing to undo.
            }
        }
    }
}
