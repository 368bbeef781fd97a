package io.stratadb.sql.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandParserTest {
    private static TableSchema create(String sql) {
        Command c = CommandParser.parse(sql);
        return assertInstanceOf(Command.CreateTable.class, c).schema();
    }

    private static ErrorCode failure(String sql) {
        return assertThrows(StrataException.class, () -> CommandParser.parse(sql), sql)
                .code();
    }

    @Test
    void queriesAndDmlAreLeftToCalcite() {
        assertNull(CommandParser.parse("SELECT * FROM t"));
        assertNull(CommandParser.parse("  -- comment\n insert into t values (1)"));
        assertNull(CommandParser.parse("/* x */ UPDATE t SET a = 1"));
        assertNull(CommandParser.parse("EXPLAIN PLAN FOR SELECT 1"));
        assertNull(CommandParser.parse(""));
    }

    @Test
    void createTableWithEveryTypeAndAColumnPrimaryKey() {
        TableSchema s = create("create table accounts (id bigint primary key, flag boolean, s smallint, i int,"
                + " amount decimal(10,2) not null default 0, d double, name varchar(20) default 'x',"
                + " data varbinary(16), day date, at time, ts timestamp default timestamp '2024-01-02 03:04:05')");
        assertEquals("ACCOUNTS", s.name());
        assertEquals(List.of(0), s.primaryKey());
        List<ColumnDef> c = s.columns();
        assertEquals(11, c.size());
        assertEquals(ColumnType.BIGINT, c.get(0).type());
        assertFalse(c.get(0).nullable(), "a primary key column is NOT NULL");
        assertEquals(ColumnType.DECIMAL, c.get(4).type());
        assertEquals(10, c.get(4).precision());
        assertEquals(2, c.get(4).scale());
        assertFalse(c.get(4).nullable());
        assertEquals(new BigDecimal("0.00"), c.get(4).defaultValue());
        assertEquals(ColumnType.VARCHAR, c.get(6).type());
        assertEquals(20, c.get(6).precision());
        assertEquals("x", c.get(6).defaultValue());
        assertTrue(c.get(6).nullable());
        assertEquals(ColumnType.VARBINARY, c.get(7).type());
        assertEquals(ColumnType.DATE, c.get(8).type());
        assertEquals(ColumnType.TIME, c.get(9).type());
        assertEquals(ColumnType.TIMESTAMP, c.get(10).type());
        assertEquals(1704164645000L, c.get(10).defaultValue());
    }

    @Test
    void tableConstraintPrimaryKeyKeepsKeyOrderAndQuotedNames() {
        TableSchema s = create("CREATE TABLE IF NOT EXISTS public.\"Orders\" (\"a\" INTEGER, b VARCHAR(5),"
                + " c DATE, CONSTRAINT pk_o PRIMARY KEY (c, \"a\"));");
        assertEquals("Orders", s.name());
        assertEquals(List.of(2, 0), s.primaryKey());
        assertEquals("a", s.columns().get(0).name());
        assertFalse(s.columns().get(2).nullable());
        Command c = CommandParser.parse("create table if not exists t (a int primary key)");
        assertTrue(assertInstanceOf(Command.CreateTable.class, c).ifNotExists());
    }

    @Test
    void dropTableAndCall() {
        Command.DropTable d = assertInstanceOf(Command.DropTable.class, CommandParser.parse("drop table if exists t"));
        assertEquals("T", d.name());
        assertTrue(d.ifExists());
        Command.Call c =
                assertInstanceOf(Command.Call.class, CommandParser.parse("CALL SYS.SET_TIMESTAMP('stable', ?)"));
        assertEquals("SET_TIMESTAMP", c.name());
        assertEquals(1, c.parameterCount());
        assertEquals("stable", c.args().get(0));
        assertEquals(new Command.Param(0), c.args().get(1));
        Command.Call noArgs = assertInstanceOf(Command.Call.class, CommandParser.parse("call sys.checkpoint()"));
        assertEquals("CHECKPOINT", noArgs.name());
        assertEquals(0, noArgs.args().size());
    }

    @Test
    void defaultsAreConvertedToTheColumnType() {
        TableSchema s = create("create table t (k int primary key, b varbinary(4) default X'0aff', n smallint"
                + " default -3, f boolean default true, d date default date '1970-01-11')");
        assertArrayEquals(
                new byte[] {0x0a, (byte) 0xff}, (byte[]) s.columns().get(1).defaultValue());
        assertEquals((short) -3, s.columns().get(2).defaultValue());
        assertEquals(true, s.columns().get(3).defaultValue());
        assertEquals(10, s.columns().get(4).defaultValue());
    }

    @Test
    void malformedStatementsFailWithSqlErrorCodes() {
        assertEquals(ErrorCode.SYNTAX_ERROR, failure("create table t (a int primary key"));
        assertEquals(ErrorCode.SYNTAX_ERROR, failure("create table t (a int primary key) garbage"));
        assertEquals(ErrorCode.SYNTAX_ERROR, failure("create table t ('a' int)"));
        assertEquals(ErrorCode.SYNTAX_ERROR, failure("create table t (a int primary key, b varchar(0))"));
        assertEquals(ErrorCode.SYNTAX_ERROR, failure("create table t (a varchar(3) default 'x)"));
        assertEquals(ErrorCode.INVALID_SQL, failure("create table t (a int)"));
        assertEquals(ErrorCode.INVALID_SQL, failure("create table t (a int primary key, a int)"));
        assertEquals(ErrorCode.INVALID_SQL, failure("create table t (a blob primary key)"));
        assertEquals(ErrorCode.INVALID_SQL, failure("create table t (a decimal(30,2) primary key)"));
        assertEquals(ErrorCode.INVALID_SQL, failure("create table t (a int primary key default 'abc')"));
        assertEquals(ErrorCode.COLUMN_NOT_FOUND, failure("create table t (a int, primary key (b))"));
        assertEquals(ErrorCode.READ_ONLY_TABLE, failure("create table sys.node (a int primary key)"));
        assertEquals(ErrorCode.READ_ONLY_TABLE, failure("drop table sys.node"));
        assertEquals(ErrorCode.UNSUPPORTED, failure("create index i on t (a)"));
        assertEquals(ErrorCode.UNSUPPORTED, failure("drop view v"));
        // decided before the rest is read: these use characters and words a CREATE TABLE never has
        assertEquals(ErrorCode.UNSUPPORTED, failure("create view v as select * from t where id > 1"));
        assertEquals(ErrorCode.UNSUPPORTED, failure("/* c */ create\n  or replace view v as select * from t"));
        assertEquals(ErrorCode.UNSUPPORTED, failure("alter table t add column w int"));
        assertEquals(ErrorCode.UNSUPPORTED, failure("create table c (id int primary key, tid int references t(id))"));
        assertEquals(
                ErrorCode.UNSUPPORTED,
                failure("create table c (id int primary key, tid int, foreign key (tid) references t(id))"));
        assertEquals(ErrorCode.UNSUPPORTED, failure("create table c (id int primary key, v int, unique (v))"));
        assertEquals(ErrorCode.UNSUPPORTED, failure("create table t (a int primary key default current_date)"));
        assertEquals(ErrorCode.INVALID_SQL, failure("call other.proc()"));
        assertEquals(ErrorCode.SYNTAX_ERROR, failure("call sys.checkpoint("));
    }

    @Test
    void errorMessagesNamePositionAndTable() {
        StrataException e = assertThrows(
                StrataException.class, () -> CommandParser.parse("create table t (a int primary key, b int,)"));
        assertTrue(e.getMessage().contains("position 42"), e.getMessage());
        StrataException dup = assertThrows(
                StrataException.class, () -> CommandParser.parse("create table t (a int primary key, a int)"));
        assertTrue(dup.getMessage().contains("T") && dup.getMessage().contains("A"), dup.getMessage());
    }
}
