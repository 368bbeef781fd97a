package io.stratadb.sql.calcite;

import io.stratadb.api.Engine;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.Transaction;
import org.apache.calcite.DataContext;

/**
 * What a running statement needs from its JDBC connection: the engine and the connection's transaction.
 *
 * <p>Scans and DML find it at run time through {@link DataContext#getQueryProvider()}, which is the JDBC
 * connection, so prepared plans never capture a session or a transaction.
 *
 * <p>Invariants: (1) {@link #transaction()} returns an active transaction, beginning one if needed; (2) in
 * auto-commit mode {@link #writeSucceeded()} commits it and {@link #writeFailed()} rolls it back; otherwise the
 * failed statement is undone through its savepoint and the transaction stays open.
 *
 * <p>Thread safety: externally synchronized by the connection's user (one statement at a time).
 */
public interface StatementContext {
    /** The open engine. */
    Engine engine();

    /** The connection's active transaction, begun on demand. */
    Transaction transaction();

    /** Called after a write statement changed the transaction successfully. */
    void writeSucceeded();

    /** Called after a write statement failed and was undone to its savepoint. */
    void writeFailed();

    /** Implemented by the JDBC connection. */
    interface Source {
        /** The connection's statement context. */
        StatementContext statementContext();
    }

    /** The statement context of the connection running the statement. */
    static StatementContext of(DataContext root) {
        Object provider = root.getQueryProvider();
        if (provider instanceof Source s) {
            return s.statementContext();
        }
        throw new StrataException(
                ErrorCode.INTERNAL,
                "statement is not running on a StrataDB connection: "
                        + (provider == null ? "null" : provider.getClass().getName()));
    }
}
