package io.stratadb.sql.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.sql.testing.TestDb;
import java.sql.Connection;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {
    @Test
    void engineCodesKeepTheirSqlStateAndPickTheSubclass() {
        SQLException e = SqlErrors.translate(new RuntimeException(
                "wrapper", new StrataException(ErrorCode.WRITE_CONFLICT, "key [1] of table T was written")));
        assertInstanceOf(SQLTransactionRollbackException.class, e);
        assertEquals("40001", e.getSQLState());
        assertTrue(String.valueOf(e.getMessage()).contains("table T"), e.getMessage());
        assertInstanceOf(
                SQLIntegrityConstraintViolationException.class,
                SqlErrors.translate(new StrataException(ErrorCode.DUPLICATE_KEY, "dup")));
        assertInstanceOf(
                SQLFeatureNotSupportedException.class,
                SqlErrors.translate(new StrataException(ErrorCode.UNSUPPORTED, "later")));
        assertInstanceOf(
                SQLNonTransientConnectionException.class,
                SqlErrors.translate(new StrataException(ErrorCode.CLOSED, "closed")));
        assertInstanceOf(
                SQLDataException.class, SqlErrors.translate(new StrataException(ErrorCode.STRING_TOO_LONG, "long")));
        assertInstanceOf(
                SQLSyntaxErrorException.class,
                SqlErrors.translate(new StrataException(ErrorCode.READ_ONLY_TABLE, "SYS.NODE")));
    }

    @Test
    void aPlanCalciteCannotImplementIsUnsupported() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect();
                Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("VALUES COUNT(*)"));
            assertEquals("0A000", e.getSQLState(), e.toString()); // found by SqlFuzzTest, seed 77801791195120
        }
    }

    @Test
    void plainRuntimeFailuresBecomeClassifiedErrors() {
        assertEquals(
                "22012",
                SqlErrors.translate(new ArithmeticException("/ by zero")).getSQLState());
        assertEquals(
                "22003",
                SqlErrors.translate(new ArithmeticException("overflow")).getSQLState());
        assertEquals(
                "22018",
                SqlErrors.translate(new NumberFormatException("For input string: \"x\""))
                        .getSQLState());
        SQLException internal =
                SqlErrors.translate(new SQLException("Error while executing", new NullPointerException()));
        assertEquals("XX000", internal.getSQLState());
        assertTrue(
                String.valueOf(internal.getMessage()).startsWith("internal error: NullPointerException"),
                internal.getMessage());
        SQLException assertion = SqlErrors.translate(new AssertionError("boom"));
        assertEquals("XX000", assertion.getSQLState());
    }

    @Test
    void alreadyClassifiedExceptionsPassThrough() {
        SQLException e = new SQLSyntaxErrorException("bad", "42601");
        assertSame(e, SqlErrors.translate(e));
    }
}
