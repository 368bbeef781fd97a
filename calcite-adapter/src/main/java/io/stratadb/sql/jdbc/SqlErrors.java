package io.stratadb.sql.jdbc;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientException;
import java.util.Locale;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.validate.SqlValidatorException;
import org.jspecify.annotations.Nullable;

/**
 * Translation of every failure inside the driver into a {@link SQLException} with the right subclass, a
 * SQLSTATE and a message that names what went wrong.
 *
 * <p>Rules, first match in the cause chain wins: a {@link StrataException} keeps its code's SQLSTATE; a Calcite
 * parse error is 42601; a validation error is 42P01 (unknown table), 42703 (unknown column), 23502 (NULL into a
 * NOT NULL column) or 42000; a plan Calcite cannot build or cannot generate code for is 0A000; arithmetic
 * overflow and division by zero are 22003 and 22012; a bad conversion is 22018; anything else is XX000 (an
 * internal error) with the cause's message. The subclass follows the SQLSTATE class: 08 connection, 0A feature, 22 data, 23 integrity, 28
 * authorization, 40 transaction rollback, 42 syntax, 53 transient.
 *
 * <p>Invariants: never returns an exception without a SQLSTATE, and never lets an AssertionError, NPE or
 * IllegalStateException reach the user bare.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class SqlErrors {
    /** The SQLSTATE of internal errors. */
    static final String INTERNAL = ErrorCode.INTERNAL.sqlState();

    private SqlErrors() {}

    /** The SQLException for {@code t}; returns {@code t} itself when it already is a classified one. */
    public static SQLException translate(Throwable t) {
        if (t instanceof SQLException s && isClassified(s)) {
            return s;
        }
        StrataException se = find(t, StrataException.class);
        if (se != null) {
            return create(se.getMessage(), se.code().sqlState(), t);
        }
        SqlParseException pe = find(t, SqlParseException.class);
        if (pe != null) {
            return create("syntax error: " + firstLine(pe.getMessage()), ErrorCode.SYNTAX_ERROR.sqlState(), t);
        }
        CalciteContextException ce = find(t, CalciteContextException.class);
        if (ce != null) {
            return validation(ce.getMessage(), t);
        }
        SqlValidatorException ve = find(t, SqlValidatorException.class);
        if (ve != null) {
            return validation(ve.getMessage(), t);
        }
        RelOptPlanner.CannotPlanException cp = find(t, RelOptPlanner.CannotPlanException.class);
        IllegalStateException ise = find(t, IllegalStateException.class);
        // Calcite's code generator, for a plan it built but cannot run (an aggregate in VALUES, say)
        boolean cannotImplement =
                ise != null && String.valueOf(ise.getMessage()).startsWith("Unable to implement");
        if (cp != null || cannotImplement) {
            return create(
                    "this statement cannot be planned by StrataDB's SQL layer (unsupported combination of"
                            + " operators)",
                    ErrorCode.UNSUPPORTED.sqlState(),
                    t);
        }
        ArithmeticException ae = find(t, ArithmeticException.class);
        if (ae != null) {
            String m = String.valueOf(ae.getMessage());
            boolean zero = m.toLowerCase(Locale.ROOT).contains("by zero");
            return create(
                    zero ? "division by zero" : "numeric value out of range: " + m,
                    zero ? "22012" : ErrorCode.NUMERIC_OUT_OF_RANGE.sqlState(),
                    t);
        }
        NumberFormatException nfe = find(t, NumberFormatException.class);
        if (nfe != null) {
            return create("invalid number: " + nfe.getMessage(), ErrorCode.INVALID_VALUE.sqlState(), t);
        }
        SQLException withState = findClassified(t);
        if (withState != null) {
            return withState;
        }
        return create("internal error: " + describe(root(t)), INTERNAL, t);
    }

    /** Translates a validation message from Calcite. */
    private static SQLException validation(@Nullable String message, Throwable t) {
        String m = message == null ? "invalid statement" : message;
        String lower = m.toLowerCase(Locale.ROOT);
        String state;
        if (lower.contains("does not allow nulls") || lower.contains("has no default value")) {
            state = ErrorCode.NOT_NULL_VIOLATION.sqlState();
        } else if (lower.contains("object '") && lower.contains("not found")) {
            state = ErrorCode.TABLE_NOT_FOUND.sqlState();
        } else if (lower.contains("column '") && lower.contains("not found")) {
            state = ErrorCode.COLUMN_NOT_FOUND.sqlState();
        } else {
            state = ErrorCode.INVALID_SQL.sqlState();
        }
        return create(m, state, t);
    }

    /** A new SQLException of the subclass of {@code state}'s class. */
    public static SQLException create(String message, String state, @Nullable Throwable cause) {
        String cls = state.substring(0, 2);
        SQLException e = switch (cls) {
            case "08" -> new SQLNonTransientConnectionException(message, state);
            case "0A" -> new SQLFeatureNotSupportedException(message, state);
            case "22" -> new SQLDataException(message, state);
            case "23" -> new SQLIntegrityConstraintViolationException(message, state);
            case "28" -> new SQLInvalidAuthorizationSpecException(message, state);
            case "40" -> new SQLTransactionRollbackException(message, state);
            case "42" -> new SQLSyntaxErrorException(message, state);
            case "53" -> new SQLTransientException(message, state);
            default -> new SQLException(message, state);
        };
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static boolean isClassified(SQLException s) {
        String state = s.getSQLState();
        return state != null && state.length() == 5;
    }

    private static @Nullable SQLException findClassified(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s
                    && s.getSQLState() != null
                    && !s.getSQLState().isEmpty()) {
                return create(String.valueOf(s.getMessage()), s.getSQLState(), t);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static <T extends Throwable> @Nullable T find(Throwable t, Class<T> type) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < 50; c = c.getCause(), depth++) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static Throwable root(Throwable t) {
        Throwable c = t;
        int depth = 0;
        while (c.getCause() != null && c.getCause() != c && depth++ < 50) {
            c = c.getCause();
        }
        return c;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + firstLine(m));
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
