package io.stratadb.sql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StorageProviders;
import io.stratadb.api.StrataException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;

/**
 * A fresh named in-memory database per test, and small helpers to run SQL and read results as strings.
 *
 * <p>Tests that need a working engine call {@link #assumeEngine()}: until the engine (issue #5) lands its
 * provider throws UNSUPPORTED and those tests are reported as skipped.
 */
public final class TestDb {
    private static @Nullable Boolean available;

    private TestDb() {}

    /** Whether the {@code strata} provider opens an in-memory database. */
    public static synchronized boolean engineAvailable() {
        Boolean a = available;
        if (a == null) {
            try (Engine e = StorageProviders.get("strata").open(EngineConfig.inMemory())) {
                a = e != null;
            } catch (StrataException e) {
                if (e.code() != ErrorCode.UNSUPPORTED) {
                    throw e;
                }
                a = false;
            }
            available = a;
        }
        return a;
    }

    /** Fails the calling test unless the strata engine opens: an engine that stopped working must not skip tests. */
    public static void assumeEngine() {
        Assertions.assertTrue(engineAvailable(), "the strata engine does not open");
    }

    /** A URL of a new, empty in-memory database. */
    public static String newUrl() {
        return "jdbc:strata:name=t" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A connection to a new in-memory database. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(newUrl());
    }

    /** Runs statements. */
    public static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** Runs an update and returns its count. */
    public static long update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeLargeUpdate(sql);
        }
    }

    /** The rows of a query, each as its columns joined by "," (NULL as "null"). */
    public static List<String> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rows(rs);
        }
    }

    /** The rows of a result set, each as its columns joined by ",". */
    public static List<String> rows(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                if (i > 1) {
                    sb.append(',');
                }
                sb.append(rs.getString(i));
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** The single value of a query. */
    public static @Nullable String value(Connection c, String sql) throws SQLException {
        List<String> r = rows(c, sql);
        assertEquals(1, r.size(), "one row expected from " + sql + ": " + r);
        return r.get(0);
    }

    /** Asserts that {@code sql} fails with {@code sqlState} and returns the exception. */
    public static SQLException fails(Connection c, String sqlState, String sql) {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            assertEquals(sqlState, e.getSQLState(), "SQLSTATE of " + sql + ": " + e);
            assertNotNull(e.getMessage());
            return e;
        }
        return fail("expected SQLSTATE " + sqlState + " from " + sql);
    }
}
