package io.stratadb.sql.command;

import io.stratadb.api.Engine;
import io.stratadb.sql.sys.Procedures;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A statement the SQL layer runs itself: table DDL or a system procedure call.
 *
 * <p>Invariants: {@link #parameterCount()} is the number of {@code ?} placeholders; {@link #execute} receives
 * that many values. A command runs outside the connection's transaction (DDL is immediately visible to every
 * connection).
 *
 * <p>Thread safety: implementations are immutable.
 */
public sealed interface Command {
    /** The number of {@code ?} parameters. */
    int parameterCount();

    /** Runs the command and returns its update count. */
    long execute(Engine engine, List<@Nullable Object> parameters);

    /** {@code CREATE TABLE}. */
    record CreateTable(io.stratadb.api.TableSchema schema, boolean ifNotExists) implements Command {
        @Override
        public int parameterCount() {
            return 0;
        }

        @Override
        public long execute(Engine engine, List<@Nullable Object> parameters) {
            engine.createTable(schema, ifNotExists);
            return 0;
        }
    }

    /** {@code DROP TABLE}. */
    record DropTable(String name, boolean ifExists) implements Command {
        @Override
        public int parameterCount() {
            return 0;
        }

        @Override
        public long execute(Engine engine, List<@Nullable Object> parameters) {
            engine.dropTable(name, ifExists);
            return 0;
        }
    }

    /**
     * {@code CALL SYS.<name>(args)}; an argument is a literal value or a {@link Param}.
     *
     * @param name the procedure's name without the schema
     * @param args literal values and parameter placeholders
     */
    record Call(String name, List<@Nullable Object> args) implements Command {
        public Call {
            args = java.util.Collections.unmodifiableList(new ArrayList<>(args));
        }

        @Override
        public int parameterCount() {
            int n = 0;
            for (Object a : args) {
                if (a instanceof Param) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public long execute(Engine engine, List<@Nullable Object> parameters) {
            List<@Nullable Object> values = new ArrayList<>();
            for (Object a : args) {
                values.add(a instanceof Param p ? parameters.get(p.index()) : a);
            }
            Procedures.call(engine, name, values);
            return 0;
        }
    }

    /**
     * A {@code ?} placeholder.
     *
     * @param index its 0-based index among the statement's placeholders
     */
    record Param(int index) {}
}
