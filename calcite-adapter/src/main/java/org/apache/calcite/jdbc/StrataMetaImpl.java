package org.apache.calcite.jdbc;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import io.stratadb.sql.calcite.StrataTable;
import io.stratadb.sql.jdbc.ConnectionSession;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.schema.Table;
import org.jspecify.annotations.Nullable;

/**
 * The Meta of a {@code jdbc:strata:} connection: Calcite's, with real transactions, auto-commit on by default,
 * statement boundaries for auto-commit, batches run as one transaction, primary keys and StrataDB's table types in metadata. See {@link
 * StrataJdbcFactory} for why it lives in this package.
 *
 * <p>Invariants: (1) commit, rollback and auto-commit changes go to the connection's session; (2) every
 * statement execution first ends the previous auto-commit read transaction; (3) the reported isolation is
 * always REPEATABLE_READ (snapshot isolation).
 *
 * <p>Thread safety: as the connection.
 */
final class StrataMetaImpl extends CalciteMetaImpl {
    StrataMetaImpl(StrataConnectionImpl connection, CalciteMetaColumnFactory columns) {
        super(connection, CalciteMetaTableFactoryImpl.INSTANCE, columns);
        this.connProps.setAutoCommit(true).setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        this.connProps.setDirty(false);
    }

    private StrataConnectionImpl strata() {
        return (StrataConnectionImpl) connection;
    }

    @Override
    public void commit(ConnectionHandle ch) {
        strata().session().commit();
    }

    @Override
    public void rollback(ConnectionHandle ch) {
        strata().session().rollback();
    }

    @Override
    public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
        Boolean auto = props.isAutoCommit();
        if (auto != null) {
            strata().session().setAutoCommit(auto);
        }
        Boolean readOnly = props.isReadOnly();
        if (readOnly != null) {
            strata().session().setReadOnly(readOnly);
        }
        Integer level = props.getTransactionIsolation();
        if (level != null) {
            if (level == Connection.TRANSACTION_SERIALIZABLE) {
                throw new StrataException(
                        ErrorCode.UNSUPPORTED,
                        "SERIALIZABLE isolation is not supported; StrataDB runs snapshot isolation, reported as"
                                + " REPEATABLE_READ");
            }
            if (level != Connection.TRANSACTION_NONE) {
                props.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            } else {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT, "TRANSACTION_NONE is not allowed; StrataDB is transactional");
            }
        }
        return super.connectionSync(ch, props);
    }

    @Override
    public ExecuteResult prepareAndExecute(
            StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame, PrepareCallback callback)
            throws NoSuchStatementException {
        strata().session().statementStarting(h.id);
        return super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame, callback);
    }

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
            throws NoSuchStatementException {
        strata().session().statementStarting(h.id);
        return super.execute(h, parameterValues, maxRowsInFirstFrame);
    }

    /**
     * Runs a prepared statement once per parameter row, all in one transaction: in auto-commit mode the batch
     * commits once at the end, and a failure rolls back every row of the batch. The statement is planned once
     * (when prepared); each row binds its parameters and runs the plan. A failure is reported as a {@link
     * BatchFailure} carrying the update counts of the rows before the failing one.
     */
    @Override
    public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValueLists)
            throws NoSuchStatementException {
        Signature signature = getConnection().server.getStatement(h).getSignature();
        if (signature == null || !signature.statementType.canUpdate()) {
            throw new BatchFailure(
                    new long[0],
                    new StrataException(
                            ErrorCode.INVALID_ARGUMENT,
                            "executeBatch runs INSERT, UPDATE and DELETE statements; this one returns rows: "
                                    + (signature == null ? "?" : signature.sql)));
        }
        ConnectionSession session = strata().session();
        session.batchStarting(h.id);
        long[] counts = new long[parameterValueLists.size()];
        int done = 0;
        boolean succeeded = false;
        try {
            for (List<TypedValue> values : parameterValueLists) {
                ExecuteResult r = super.execute(h, values, -1);
                counts[done] = r.resultSets.size() == 1 ? r.resultSets.get(0).updateCount : -1;
                done++;
            }
            succeeded = true;
        } catch (RuntimeException | NoSuchStatementException e) {
            throw new BatchFailure(Arrays.copyOf(counts, done), e);
        } finally {
            if (!succeeded) { // also after an Error: the session must not stay in batch mode
                try {
                    session.batchEnded(false);
                } catch (RuntimeException e) {
                    // the connection is closed or its rollback failed: nothing of the batch is left to undo
                }
            }
        }
        try {
            session.batchEnded(true);
        } catch (RuntimeException e) {
            throw new BatchFailure(new long[0], e); // the commit failed: no row of the batch was applied
        }
        return new ExecuteBatchResult(counts);
    }

    /**
     * Runs the SQL statements of a {@code Statement} batch one by one, as Calcite does (each in its own auto-commit
     * transaction); a failure is reported as a {@link BatchFailure} carrying the update counts of the statements
     * that ran before it.
     */
    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
            throws NoSuchStatementException {
        long[] counts = new long[sqlCommands.size()];
        int done = 0;
        try {
            for (String sql : sqlCommands) {
                counts[done] = super.prepareAndExecuteBatch(h, List.of(sql)).updateCounts[0];
                done++;
            }
        } catch (RuntimeException | NoSuchStatementException e) {
            throw new BatchFailure(Arrays.copyOf(counts, done), e);
        }
        return new ExecuteBatchResult(counts);
    }

    @Override
    public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
        Map<DatabaseProperty, Object> m = new HashMap<>(super.getDatabaseProperties(ch));
        m.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, Connection.TRANSACTION_REPEATABLE_READ);
        return m;
    }

    @Override
    public MetaResultSet getTableTypes(ConnectionHandle ch) {
        List<Object> rows = new ArrayList<>();
        rows.add(new Object[] {"SYSTEM TABLE"});
        rows.add(new Object[] {"TABLE"});
        return createResultSet(
                Map.of(),
                List.of(MetaImpl.columnMetaData("TABLE_TYPE", 0, String.class, false)),
                CursorFactory.ARRAY,
                new Frame(0, true, rows));
    }

    @Override
    public MetaResultSet getPrimaryKeys(
            ConnectionHandle ch, @Nullable String catalog, @Nullable String schema, String table) {
        List<Object> rows = new ArrayList<>();
        CalciteSchema root = strata().rootSchema;
        for (CalciteSchema sub : root.getSubSchemaMap().values()) {
            if (schema != null && !schema.equals(sub.getName())) {
                continue;
            }
            CalciteSchema.TableEntry entry = sub.getTable(table, true);
            Table t = entry == null ? null : entry.getTable();
            if (t instanceof StrataTable st) {
                TableSchema ts = st.schema();
                List<ColumnDef> cols = ts.columns();
                for (int i = 0; i < ts.primaryKey().size(); i++) {
                    rows.add(new Object[] {
                        null,
                        sub.getName(),
                        ts.name(),
                        cols.get(ts.primaryKey().get(i)).name(),
                        (short) (i + 1),
                        "PK_" + ts.name()
                    });
                }
            }
        }
        return createResultSet(
                Map.of(),
                List.of(
                        MetaImpl.columnMetaData("TABLE_CAT", 0, String.class, true),
                        MetaImpl.columnMetaData("TABLE_SCHEM", 1, String.class, true),
                        MetaImpl.columnMetaData("TABLE_NAME", 2, String.class, false),
                        MetaImpl.columnMetaData("COLUMN_NAME", 3, String.class, false),
                        MetaImpl.columnMetaData("KEY_SEQ", 4, short.class, false),
                        MetaImpl.columnMetaData("PK_NAME", 5, String.class, true)),
                CursorFactory.ARRAY,
                new Frame(0, true, rows));
    }
}
