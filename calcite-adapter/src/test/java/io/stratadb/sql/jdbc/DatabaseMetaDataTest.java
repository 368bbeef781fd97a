package io.stratadb.sql.jdbc;

import static io.stratadb.sql.testing.TestDb.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.testing.TestDb;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The calls DBeaver's generic driver makes when it connects and browses a database. */
class DatabaseMetaDataTest {
    private static List<String> column(ResultSet rs, String name) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                out.add(rs.getString(name));
            }
        }
        return out;
    }

    @Test
    void browsingTablesColumnsAndKeys() throws SQLException {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            exec(
                    c,
                    "CREATE TABLE item (shop INT, sku VARCHAR(12), price DECIMAL(8,2) NOT NULL, note VARCHAR(100),"
                            + " PRIMARY KEY (shop, sku))");
            DatabaseMetaData md = c.getMetaData();
            // connect
            assertEquals("StrataDB", md.getDatabaseProductName());
            assertEquals(StrataDriver.VERSION, md.getDatabaseProductVersion());
            assertTrue(md.getDriverName().contains("StrataDB"));
            assertTrue(md.supportsTransactions());
            assertTrue(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_REPEATABLE_READ));
            assertTrue(md.getURL().startsWith("jdbc:strata:"));
            md.getIdentifierQuoteString();
            md.getSQLKeywords();
            column(md.getCatalogs(), "TABLE_CAT");
            column(md.getTypeInfo(), "TYPE_NAME");
            // navigator
            List<String> schemas = column(md.getSchemas(), "TABLE_SCHEM");
            assertTrue(schemas.containsAll(List.of("PUBLIC", "SYS")), schemas.toString());
            assertEquals(List.of("SYSTEM TABLE", "TABLE"), column(md.getTableTypes(), "TABLE_TYPE"));
            assertEquals(
                    List.of("ITEM"), column(md.getTables(null, "PUBLIC", "%", new String[] {"TABLE"}), "TABLE_NAME"));
            List<String> sys = column(md.getTables(null, "SYS", "%", null), "TABLE_TYPE");
            assertTrue(!sys.isEmpty() && sys.stream().allMatch("SYSTEM TABLE"::equals), sys.toString());
            try (ResultSet rs = md.getColumns(null, "PUBLIC", "ITEM", "%")) {
                List<String> seen = new ArrayList<>();
                while (rs.next()) {
                    seen.add(
                            rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " " + rs.getInt("DATA_TYPE")
                                    + " " + rs.getInt("COLUMN_SIZE") + " " + rs.getString("DECIMAL_DIGITS") + " "
                                    + rs.getInt("NULLABLE") + " " + rs.getString("IS_NULLABLE"));
                }
                assertEquals(
                        List.of(
                                "SHOP INTEGER " + Types.INTEGER + " 10 0 0 NO",
                                "SKU VARCHAR " + Types.VARCHAR + " 12 null 0 NO",
                                "PRICE DECIMAL " + Types.DECIMAL + " 8 2 0 NO",
                                "NOTE VARCHAR " + Types.VARCHAR + " 100 null 1 YES"),
                        seen);
            }
            try (ResultSet rs = md.getPrimaryKeys(null, "PUBLIC", "ITEM")) {
                List<String> pk = new ArrayList<>();
                while (rs.next()) {
                    pk.add(rs.getString("COLUMN_NAME") + ":" + rs.getShort("KEY_SEQ"));
                }
                assertEquals(List.of("SHOP:1", "SKU:2"), pk);
            }
            column(md.getIndexInfo(null, "PUBLIC", "ITEM", false, true), "INDEX_NAME");
            column(md.getImportedKeys(null, "PUBLIC", "ITEM"), "PKTABLE_NAME");
            column(md.getExportedKeys(null, "PUBLIC", "ITEM"), "FKTABLE_NAME");
            List<String> sysCols = column(md.getColumns(null, "SYS", "NODE", "%"), "TYPE_NAME");
            assertTrue(sysCols.stream().noneMatch(t -> t.contains("NOT NULL")), sysCols.toString());
        }
    }

    @Test
    void everyMetadataMethodAnswersOrSaysUnsupported() throws Exception {
        TestDb.assumeEngine();
        try (Connection c = TestDb.connect()) {
            exec(c, "CREATE TABLE m (id INT PRIMARY KEY)");
            DatabaseMetaData md = c.getMetaData();
            List<String> broken = new ArrayList<>();
            for (java.lang.reflect.Method m : DatabaseMetaData.class.getMethods()) {
                Object[] args = argsFor(m.getParameterTypes());
                if (args == null) {
                    continue;
                }
                try {
                    Object r = m.invoke(md, args);
                    if (r instanceof ResultSet rs) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                        rs.close();
                    }
                } catch (java.lang.reflect.InvocationTargetException e) {
                    Throwable t = e.getCause();
                    if (!(t instanceof java.sql.SQLFeatureNotSupportedException)) {
                        broken.add(m.getName() + ": " + t);
                    }
                }
            }
            assertEquals(List.of(), broken);
        }
    }

    /** Plausible DBeaver-style arguments for a metadata method, or null to skip it. */
    private static Object @org.jspecify.annotations.Nullable [] argsFor(Class<?>[] types) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == String.class) {
                args[i] = i == 0 ? null : i == 1 ? "PUBLIC" : "%";
            } else if (t == int.class) {
                args[i] = i == 0 ? Connection.TRANSACTION_REPEATABLE_READ : 0;
            } else if (t == boolean.class) {
                args[i] = false;
            } else if (t == String[].class) {
                args[i] = null;
            } else if (t == int[].class) {
                args[i] = null;
            } else {
                return null;
            }
        }
        return args;
    }
}
