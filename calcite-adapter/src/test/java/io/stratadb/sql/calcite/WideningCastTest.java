package io.stratadb.sql.calcite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/** The values {@link WideningCast} compares a widened SMALLINT or INTEGER key column with. */
class WideningCastTest {
    private static final ColumnDef SMALL = new ColumnDef("ID", ColumnType.SMALLINT, 0, 0, false, null);
    private static final ColumnDef MID = new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null);
    private static final TableSchema SCHEMA = new TableSchema("T", List.of(SMALL), List.of(0));

    @Test
    void literalsInsideTheRangeTakeTheColumnsTypeAndOthersFallBelowOrAbove() {
        assertEquals((short) 3, WideningCast.value(SCHEMA, SMALL, SqlTypeName.INTEGER, new BigDecimal(3), null));
        assertEquals((short) -32768, WideningCast.value(SCHEMA, SMALL, SqlTypeName.INTEGER, -32768L, null));
        assertSame(WideningCast.ABOVE, WideningCast.value(SCHEMA, SMALL, SqlTypeName.INTEGER, 32768L, null));
        assertSame(WideningCast.BELOW, WideningCast.value(SCHEMA, SMALL, SqlTypeName.INTEGER, -32769, null));
        assertSame(WideningCast.ABOVE, WideningCast.value(SCHEMA, MID, SqlTypeName.BIGINT, 10_000_000_000L, null));
        assertSame(
                WideningCast.BELOW,
                WideningCast.value(SCHEMA, MID, SqlTypeName.BIGINT, new BigDecimal("-1e30"), null),
                "an integer beyond BIGINT is still below every key");
        assertNull(
                WideningCast.value(SCHEMA, SMALL, SqlTypeName.INTEGER, new BigDecimal("2.5"), null),
                "a literal that is not an integer is left to Calcite");
    }

    @Test
    void parametersAreNarrowedToTheirOwnTypeFirst() {
        assertEquals(
                (short) 25536,
                WideningCast.value(SCHEMA, SMALL, SqlTypeName.INTEGER, -40000, SqlTypeName.SMALLINT),
                "a SMALLINT parameter wraps as Number.shortValue() does");
        assertSame(
                WideningCast.BELOW,
                WideningCast.value(SCHEMA, SMALL, SqlTypeName.INTEGER, -40000, SqlTypeName.INTEGER),
                "an INTEGER parameter keeps its value, outside the SMALLINT range");
        assertEquals((short) 1, WideningCast.value(SCHEMA, SMALL, SqlTypeName.BIGINT, 1.9, SqlTypeName.BIGINT));
        assertNull(WideningCast.value(SCHEMA, SMALL, SqlTypeName.INTEGER, 1, SqlTypeName.DECIMAL));
        assertEquals(
                ErrorCode.INVALID_VALUE,
                assertThrows(
                                StrataException.class,
                                () -> WideningCast.value(SCHEMA, SMALL, SqlTypeName.INTEGER, "3", SqlTypeName.INTEGER))
                        .code());
    }
}
