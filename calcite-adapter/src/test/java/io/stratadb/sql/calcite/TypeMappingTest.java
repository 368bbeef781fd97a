package io.stratadb.sql.calcite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.math.BigDecimal;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

class TypeMappingTest {
    private static ColumnDef col(ColumnType t, int p, int s) {
        return new ColumnDef("C", t, p, s, true, null);
    }

    @Test
    void integersAreRangeCheckedAndExact() {
        assertEquals((short) 7, TypeMapping.toEngine("T", col(ColumnType.SMALLINT, 0, 0), 7));
        assertEquals(7, TypeMapping.toEngine("T", col(ColumnType.INTEGER, 0, 0), new BigDecimal("7")));
        assertEquals(7L, TypeMapping.toEngine("T", col(ColumnType.BIGINT, 0, 0), "7"));
        StrataException big = assertThrows(
                StrataException.class, () -> TypeMapping.toEngine("T", col(ColumnType.SMALLINT, 0, 0), 40000));
        assertEquals(ErrorCode.NUMERIC_OUT_OF_RANGE, big.code());
        assertEquals(
                ErrorCode.INVALID_VALUE,
                assertThrows(
                                StrataException.class,
                                () -> TypeMapping.toEngine("T", col(ColumnType.INTEGER, 0, 0), "x1"))
                        .code());
        assertEquals(
                ErrorCode.INVALID_VALUE,
                assertThrows(StrataException.class, () -> TypeMapping.toEngine("T", col(ColumnType.INTEGER, 0, 0), 2.5))
                        .code());
    }

    @Test
    void decimalsTakeTheColumnScale() {
        assertEquals(
                new BigDecimal("1.50"),
                TypeMapping.toEngine("T", col(ColumnType.DECIMAL, 5, 2), new BigDecimal("1.5")));
        assertEquals(new BigDecimal("2.35"), TypeMapping.toEngine("T", col(ColumnType.DECIMAL, 5, 2), 2.345));
    }

    @Test
    void binaryAndDatesUseEngineRepresentations() {
        assertArrayEquals(new byte[] {1, 2}, (byte[])
                TypeMapping.toEngine("T", col(ColumnType.VARBINARY, 0, 0), new ByteString(new byte[] {1, 2})));
        assertEquals(19723, TypeMapping.toEngine("T", col(ColumnType.DATE, 0, 0), "2024-01-01"));
        assertEquals(3_723_000, TypeMapping.toEngine("T", col(ColumnType.TIME, 0, 0), "01:02:03"));
        assertEquals(1704067200000L, TypeMapping.toEngine("T", col(ColumnType.TIMESTAMP, 0, 0), "2024-01-01 00:00:00"));
        assertEquals(new ByteString(new byte[] {3}), TypeMapping.toCalcite(new byte[] {3}));
    }

    @Test
    void calciteTypesNeverTruncate() {
        JavaTypeFactoryImpl f = new JavaTypeFactoryImpl();
        RelDataType v = TypeMapping.relType(f, col(ColumnType.VARCHAR, 5, 0));
        assertEquals(SqlTypeName.VARCHAR, v.getSqlTypeName());
        assertEquals(RelDataType.PRECISION_NOT_SPECIFIED, v.getPrecision(), "unbounded: the engine checks the length");
        RelDataType d = TypeMapping.relType(f, col(ColumnType.DECIMAL, 5, 2));
        assertEquals(2, d.getScale());
        assertEquals("DECIMAL(5,2)", TypeMapping.declaredType(col(ColumnType.DECIMAL, 5, 2)));
        assertEquals("VARCHAR(5)", TypeMapping.declaredType(col(ColumnType.VARCHAR, 5, 0)));
        assertEquals(5, TypeMapping.columnSize(col(ColumnType.VARCHAR, 5, 0)));
    }
}
