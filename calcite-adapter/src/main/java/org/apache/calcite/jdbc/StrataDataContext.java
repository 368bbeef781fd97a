package org.apache.calcite.jdbc;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;
import org.jspecify.annotations.Nullable;

/**
 * The data context of one statement execution on a {@code jdbc:strata:} connection: the statement's parameters
 * at once, and Calcite's built-in variables (time, time zone, locale, user, streams, SQL advisor) only when the
 * statement asks for one.
 *
 * <p>Calcite's own context builds every built-in variable eagerly (clock, time zone, time frames, locale, an
 * immutable map), which cost about as much as a primary-key look-up; most statements read only their
 * parameters. The built-ins come from Calcite's context, created on first use, so their values are exactly
 * Calcite's and stay the same for the rest of the execution.
 *
 * <p>Invariants: (1) a name present in the parameter map (parameters {@code ?N}, internal parameters, the
 * cancel flag, the timeout) resolves to its value there, as in Calcite's context; (2) every other name resolves
 * through one Calcite context per execution, created at most once.
 *
 * <p>Thread safety: thread-safe (the lazy context is created under this object's lock); the parameter map is not
 * modified after construction.
 */
final class StrataDataContext implements DataContext {
    private final QueryProvider connection;
    private final JavaTypeFactory typeFactory;
    private final @Nullable CalciteSchema rootSchema;
    private final Map<String, Object> parameters;
    private final Supplier<DataContext> calcite;
    private @Nullable DataContext builtIns;

    StrataDataContext(
            QueryProvider connection,
            JavaTypeFactory typeFactory,
            @Nullable CalciteSchema rootSchema,
            Map<String, Object> parameters,
            Supplier<DataContext> calcite) {
        this.connection = connection;
        this.typeFactory = typeFactory;
        this.rootSchema = rootSchema;
        this.parameters = parameters;
        this.calcite = calcite;
    }

    @Override
    public @Nullable SchemaPlus getRootSchema() {
        CalciteSchema root = rootSchema;
        return root == null ? null : root.plus();
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
        return typeFactory;
    }

    @Override
    public QueryProvider getQueryProvider() {
        return connection;
    }

    @Override
    public @Nullable Object get(String name) {
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        return builtIns().get(name);
    }

    private synchronized DataContext builtIns() {
        DataContext b = builtIns;
        if (b == null) {
            b = calcite.get();
            builtIns = b;
        }
        return b;
    }
}
