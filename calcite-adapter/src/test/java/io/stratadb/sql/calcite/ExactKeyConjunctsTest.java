package io.stratadb.sql.calcite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/** Which key conjuncts a scan may apply without Calcite checking them again. */
class ExactKeyConjunctsTest {
    private static final JavaTypeFactoryImpl TYPES = new JavaTypeFactoryImpl();
    private static final RexBuilder REX = new RexBuilder(TYPES);

    /** (a INTEGER, b BIGINT, c VARCHAR, v INTEGER), primary key (a, b). */
    private static final TableSchema INTS = new TableSchema(
            "INTS",
            List.of(
                    new ColumnDef("A", ColumnType.INTEGER, 0, 0, false, null),
                    new ColumnDef("B", ColumnType.BIGINT, 0, 0, false, null),
                    ColumnDef.of("C", ColumnType.VARCHAR),
                    ColumnDef.of("V", ColumnType.INTEGER)),
            List.of(0, 1));

    /** (s VARCHAR, n BIGINT), primary key (s, n). */
    private static final TableSchema STRS = new TableSchema(
            "STRS",
            List.of(
                    new ColumnDef("S", ColumnType.VARCHAR, 10, 0, false, null),
                    new ColumnDef("N", ColumnType.BIGINT, 0, 0, false, null)),
            List.of(0, 1));

    private static RexNode ref(int i, SqlTypeName t) {
        return REX.makeInputRef(TYPES.createSqlType(t), i);
    }

    private static RexNode param(int i, SqlTypeName t) {
        return REX.makeDynamicParam(TYPES.createSqlType(t), i);
    }

    private static RexNode num(long v) {
        return REX.makeExactLiteral(BigDecimal.valueOf(v));
    }

    private static RexNode call(SqlOperator op, RexNode a, RexNode b) {
        return REX.makeCall(op, a, b);
    }

    @Test
    void integralPrefixEqualityAndRangeAreExact() {
        List<RexNode> c = List.of(
                call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.INTEGER), param(0, SqlTypeName.INTEGER)),
                call(SqlStdOperatorTable.GREATER_THAN, ref(1, SqlTypeName.BIGINT), param(1, SqlTypeName.BIGINT)),
                call(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, num(9), ref(1, SqlTypeName.BIGINT)),
                call(SqlStdOperatorTable.EQUALS, ref(3, SqlTypeName.INTEGER), num(1)));
        assertEquals(Set.of(0, 1, 2), ExactKeyConjuncts.of(INTS, c), "the non-key condition stays for Calcite");
    }

    @Test
    void aParameterOfAnotherTypeOrAStringKeyKeepsEveryConditionInCalcite() {
        List<RexNode> widened = List.of(
                call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.INTEGER), param(0, SqlTypeName.BIGINT)),
                call(SqlStdOperatorTable.GREATER_THAN, ref(1, SqlTypeName.BIGINT), param(1, SqlTypeName.BIGINT)));
        assertEquals(Set.of(), ExactKeyConjuncts.of(INTS, widened), "all or nothing: the range hangs on the prefix");
        List<RexNode> strings = List.of(
                call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.VARCHAR), REX.makeLiteral("x")),
                call(SqlStdOperatorTable.GREATER_THAN, ref(1, SqlTypeName.BIGINT), param(0, SqlTypeName.BIGINT)));
        assertEquals(Set.of(), ExactKeyConjuncts.of(STRS, strings));
    }

    @Test
    void aSecondEqualityOnOneColumnAndConditionsOffTheKeyPrefixStay() {
        List<RexNode> twice = List.of(
                call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.INTEGER), param(0, SqlTypeName.INTEGER)),
                call(SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.INTEGER), param(1, SqlTypeName.INTEGER)));
        assertEquals(Set.of(0), ExactKeyConjuncts.of(INTS, twice));
        List<RexNode> second =
                List.of(call(SqlStdOperatorTable.EQUALS, ref(1, SqlTypeName.BIGINT), param(0, SqlTypeName.BIGINT)));
        assertEquals(Set.of(), ExactKeyConjuncts.of(INTS, second), "a full scan applies nothing");
        List<RexNode> between = List.of(REX.makeBetween(ref(0, SqlTypeName.INTEGER), num(2), num(4)));
        assertEquals(Set.of(0), ExactKeyConjuncts.of(INTS, between), "a SEARCH of literals converts at planning");
        List<RexNode> fraction = List.of(call(
                SqlStdOperatorTable.EQUALS, ref(0, SqlTypeName.INTEGER), REX.makeExactLiteral(new BigDecimal("2.5"))));
        assertEquals(Set.of(), ExactKeyConjuncts.of(INTS, fraction), "a literal the key cannot hold is Calcite's");
    }
}
