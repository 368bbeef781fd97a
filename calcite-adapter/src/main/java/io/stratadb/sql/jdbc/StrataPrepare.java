package io.stratadb.sql.jdbc;

import io.stratadb.sql.calcite.StatementContext;
import io.stratadb.sql.calcite.StrataModifyRule;
import io.stratadb.sql.command.Command;
import io.stratadb.sql.command.CommandParser;
import java.lang.reflect.Type;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.runtime.Bindable;
import org.jspecify.annotations.Nullable;

/**
 * The prepare step of {@code jdbc:strata:} statements: Calcite's, plus our DML rule, plus {@link Command}s
 * (CREATE TABLE, DROP TABLE, CALL) that bypass Calcite.
 *
 * <p>Invariants: (1) a command is parsed at prepare time and run only when the statement executes, once per
 * execution, with the statement's parameters; (2) {@link #prepares()} counts every SQL text prepared, which
 * tests use to show a prepared statement is not re-planned per execution.
 *
 * <p>Thread safety: a new instance is created per prepare by the driver; the counter is thread-safe.
 */
public final class StrataPrepare extends CalcitePrepareImpl {
    private static final AtomicLong PREPARES = new AtomicLong();

    /** How many statements have been prepared in this JVM. */
    public static long prepares() {
        return PREPARES.get();
    }

    @Override
    public <T> CalciteSignature<T> prepareSql(Context context, Query<T> query, Type elementType, long maxRowCount) {
        PREPARES.incrementAndGet();
        String sql = query.sql;
        if (sql != null) {
            Command command = CommandParser.parse(sql);
            if (command != null) {
                return commandSignature(sql, command);
            }
        }
        CalciteSignature<T> signature = super.prepareSql(context, query, elementType, maxRowCount);
        return sql == null ? signature : DirectInsert.wrap(context, sql, maxRowCount, signature);
    }

    @Override
    protected RelOptPlanner createPlanner(
            Context prepareContext,
            org.apache.calcite.plan.@Nullable Context externalContext,
            @Nullable RelOptCostFactory costFactory) {
        RelOptPlanner planner = super.createPlanner(prepareContext, externalContext, costFactory);
        planner.addRule(StrataModifyRule.INSTANCE);
        return planner;
    }

    /** A signature that runs the command when executed and returns its count, like a DML statement. */
    private static <T> CalciteSignature<T> commandSignature(String sql, Command command) {
        List<AvaticaParameter> params = new ArrayList<>();
        for (int i = 0; i < command.parameterCount(); i++) {
            params.add(new AvaticaParameter(false, 0, 0, Types.VARCHAR, "VARCHAR", Object.class.getName(), "?" + i));
        }
        Bindable<T> bindable = root -> run(root, command);
        return new CalciteSignature<>(
                sql,
                params,
                Map.of(),
                null,
                List.of(MetaImpl.columnMetaData("ROWCOUNT", 0, Long.class, false)),
                Meta.CursorFactory.OBJECT,
                null,
                List.of(),
                -1,
                bindable,
                Meta.StatementType.IS_DML);
    }

    @SuppressWarnings("unchecked") // the element type of a count is Long, whatever T the caller declared
    private static <T> Enumerable<T> run(DataContext root, Command command) {
        return new AbstractEnumerable<T>() {
            @Override
            public Enumerator<T> enumerator() {
                List<@Nullable Object> values = new ArrayList<>();
                for (int i = 0; i < command.parameterCount(); i++) {
                    values.add(root.get("?" + i));
                }
                long count = command.execute(StatementContext.of(root).engine(), values);
                return (Enumerator<T>)
                        Linq4j.singletonEnumerable((Object) count).enumerator();
            }
        };
    }
}
