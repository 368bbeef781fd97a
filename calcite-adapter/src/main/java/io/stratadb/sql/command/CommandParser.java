package io.stratadb.sql.command;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import io.stratadb.sql.calcite.StrataSchema;
import io.stratadb.sql.calcite.TypeMapping;
import io.stratadb.sql.sys.SysSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Recognizes and parses the statements of {@link Command}: {@code CREATE TABLE}, {@code DROP TABLE} and
 * {@code CALL SYS.<name>(...)}.
 *
 * <p>Grammar (keywords case-insensitive, unquoted identifiers upper-cased, {@code "quoted"} kept as written):
 *
 * <pre>
 * CREATE TABLE [IF NOT EXISTS] [PUBLIC.]name ( element [, element]* ) [;]
 *   element := column type [NOT NULL | NULL | DEFAULT literal | PRIMARY KEY]*
 *            | [CONSTRAINT name] PRIMARY KEY ( column [, column]* )
 * DROP TABLE [IF EXISTS] [PUBLIC.]name [;]
 * CALL SYS.name ( [literal | ? [, literal | ?]*] ) [;]
 * </pre>
 *
 * <p>Invariants: {@link #parse} returns null for any other statement (it goes to Calcite) and fails with a
 * {@link StrataException} whose code has a class 42 or 0A SQLSTATE, naming the position, for a malformed one.
 *
 * <p>Thread safety: one instance parses one statement; the static entry point is thread-safe.
 */
public final class CommandParser {
    private final String sql;
    private final List<Token> tokens;
    private int pos;
    private int params;

    private CommandParser(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
    }

    /** The command the statement is, or null if it is a statement for Calcite. */
    public static @Nullable Command parse(String sql) {
        String head = firstWord(sql);
        if (head.equals("ALTER")) {
            throw new StrataException(ErrorCode.UNSUPPORTED, "ALTER is not supported: " + sql);
        }
        if (!head.equals("CREATE") && !head.equals("DROP") && !head.equals("CALL")) {
            return null;
        }
        if (!head.equals("CALL")) {
            // before the lexer, which would stop at the first character it does not know (a view's '*', say)
            String what = secondWord(sql);
            if (!what.equals("TABLE")) {
                throw new StrataException(
                        ErrorCode.UNSUPPORTED,
                        head + " " + what + " is not supported; only " + head + " TABLE is: " + sql);
            }
        }
        CommandParser p = new CommandParser(sql, Lexer.tokens(sql));
        Command c = switch (head) {
            case "CREATE" -> p.create();
            case "DROP" -> p.drop();
            default -> p.call();
        };
        p.accept(";");
        if (p.peek().kind() != Token.Kind.END) {
            throw p.error("unexpected " + p.peek().describe());
        }
        return c;
    }

    /** The first keyword of the statement, upper-cased, after comments and whitespace ("" if none). */
    static String firstWord(String sql) {
        return word(sql, 0);
    }

    /** The second keyword of the statement, as {@link #firstWord} reads it ("" if none). */
    static String secondWord(String sql) {
        return word(sql, wordEnd(sql, 0));
    }

    private static String word(String sql, int from) {
        int end = wordEnd(sql, from);
        int start = end;
        while (start > from && Character.isLetter(sql.charAt(start - 1))) {
            start--;
        }
        return sql.substring(start, end).toUpperCase(java.util.Locale.ROOT);
    }

    /** Where the first word at or after {@code from} ends, after comments, whitespace and opening brackets. */
    private static int wordEnd(String sql, int from) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    // ---- statements ----

    private Command create() {
        expect("CREATE");
        if (!peek().is("TABLE")) {
            throw new StrataException(
                    ErrorCode.UNSUPPORTED,
                    "CREATE " + peek().text() + " is not supported; only CREATE TABLE is: " + sql);
        }
        expect("TABLE");
        boolean ifNotExists = false;
        if (accept("IF")) {
            expect("NOT");
            expect("EXISTS");
            ifNotExists = true;
        }
        String table = tableName();
        expectSymbol("(");
        List<ColumnSpec> columns = new ArrayList<>();
        List<String> tablePk = null;
        do {
            if (peek().is("FOREIGN") || peek().is("UNIQUE") || peek().is("CHECK")) {
                throw new StrataException(
                        ErrorCode.UNSUPPORTED,
                        peek().text() + " constraints are not supported; a table has its PRIMARY KEY only: " + sql);
            }
            if (peek().is("CONSTRAINT") || peek().is("PRIMARY")) {
                if (accept("CONSTRAINT")) {
                    identifier("constraint name");
                }
                expect("PRIMARY");
                expect("KEY");
                if (tablePk != null) {
                    throw error("table " + table + " has two PRIMARY KEY constraints");
                }
                tablePk = identifierList();
            } else {
                columns.add(column(table));
            }
        } while (acceptSymbol(","));
        expectSymbol(")");
        return new Command.CreateTable(schema(table, columns, tablePk), ifNotExists);
    }

    private Command drop() {
        expect("DROP");
        if (!peek().is("TABLE")) {
            throw new StrataException(
                    ErrorCode.UNSUPPORTED, "DROP " + peek().text() + " is not supported; only DROP TABLE is: " + sql);
        }
        expect("TABLE");
        boolean ifExists = false;
        if (accept("IF")) {
            expect("EXISTS");
            ifExists = true;
        }
        return new Command.DropTable(tableName(), ifExists);
    }

    private Command call() {
        expect("CALL");
        String schema = identifier("procedure name");
        String name;
        if (acceptSymbol(".")) {
            name = identifier("procedure name");
        } else {
            name = schema;
            schema = SysSchema.NAME;
        }
        if (!schema.equals(SysSchema.NAME)) {
            throw new StrataException(
                    ErrorCode.INVALID_SQL, "unknown procedure " + schema + "." + name + "; procedures live in SYS");
        }
        List<@Nullable Object> args = new ArrayList<>();
        expectSymbol("(");
        if (!acceptSymbol(")")) {
            do {
                if (peek().kind() == Token.Kind.PARAM) {
                    next();
                    args.add(new Command.Param(params++));
                } else {
                    args.add(literal());
                }
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        return new Command.Call(name, args);
    }

    // ---- table definitions ----

    /** A parsed column before the primary key is known. */
    private record ColumnSpec(
            String name,
            ColumnType type,
            int precision,
            int scale,
            boolean notNull,
            boolean pk,
            @Nullable Object defaultValue,
            int position) {}

    private ColumnSpec column(String table) {
        int position = peek().position();
        String name = identifier("column name");
        Token t = next();
        if (t.kind() != Token.Kind.WORD) {
            throw error("expected a type for column " + name + " but found " + t.describe(), t);
        }
        ColumnType type;
        int precision = 0;
        int scale = 0;
        switch (t.text()) {
            case "BOOLEAN" -> type = ColumnType.BOOLEAN;
            case "SMALLINT" -> type = ColumnType.SMALLINT;
            case "INTEGER", "INT" -> type = ColumnType.INTEGER;
            case "BIGINT" -> type = ColumnType.BIGINT;
            case "DOUBLE", "FLOAT", "REAL" -> {
                accept("PRECISION");
                type = ColumnType.DOUBLE;
            }
            case "DECIMAL", "NUMERIC", "DEC" -> {
                type = ColumnType.DECIMAL;
                precision = 19;
                if (acceptSymbol("(")) {
                    precision = number("DECIMAL precision");
                    if (acceptSymbol(",")) {
                        scale = number("DECIMAL scale");
                    }
                    expectSymbol(")");
                }
                if (precision < 1 || precision > 19 || scale > precision) {
                    throw new StrataException(
                            ErrorCode.INVALID_SQL,
                            "column " + table + "." + name + ": DECIMAL(" + precision + "," + scale
                                    + ") is not supported; precision must be 1..19 and scale at most the precision");
                }
            }
            case "VARCHAR", "CHARACTER", "CHAR" -> {
                if (!t.text().equals("VARCHAR")) {
                    expect("VARYING");
                }
                type = ColumnType.VARCHAR;
                precision = optionalLength();
            }
            case "VARBINARY", "BINARY" -> {
                if (t.text().equals("BINARY")) {
                    expect("VARYING");
                }
                type = ColumnType.VARBINARY;
                precision = optionalLength();
            }
            case "DATE" -> type = ColumnType.DATE;
            case "TIME" -> type = ColumnType.TIME;
            case "TIMESTAMP" -> type = ColumnType.TIMESTAMP;
            default ->
                throw new StrataException(
                        ErrorCode.INVALID_SQL,
                        "column " + table + "." + name + ": unknown or unsupported type " + t.text()
                                + " at position " + t.position() + "; supported: BOOLEAN, SMALLINT, INTEGER, BIGINT,"
                                + " DECIMAL(p,s), DOUBLE, VARCHAR(n), VARBINARY(n), DATE, TIME, TIMESTAMP");
        }
        boolean notNull = false;
        boolean pk = false;
        Object def = null;
        Token defToken = null;
        while (true) {
            if (accept("NOT")) {
                expect("NULL");
                notNull = true;
            } else if (accept("NULL")) {
                notNull = false;
            } else if (peek().is("DEFAULT")) {
                next();
                defToken = peek();
                def = literal();
            } else if (accept("PRIMARY")) {
                expect("KEY");
                pk = true;
            } else if (accept("CONSTRAINT")) {
                identifier("constraint name");
            } else if (peek().is("REFERENCES") || peek().is("UNIQUE") || peek().is("CHECK")) {
                throw new StrataException(
                        ErrorCode.UNSUPPORTED,
                        "column " + table + "." + name + ": " + peek().text() + " constraints are not supported: "
                                + sql);
            } else {
                break;
            }
        }
        if (def != null) {
            ColumnDef plain = new ColumnDef(name, type, precision, scale, true, null);
            try {
                def = TypeMapping.toEngine(table, plain, def);
            } catch (StrataException e) {
                throw new StrataException(
                        ErrorCode.INVALID_SQL,
                        "column " + table + "." + name + ": DEFAULT " + (defToken == null ? "" : defToken.describe())
                                + " is not a valid " + type,
                        e);
            }
        }
        return new ColumnSpec(name, type, precision, scale, notNull, pk, def, position);
    }

    private int optionalLength() {
        if (acceptSymbol("(")) {
            int n = number("length");
            expectSymbol(")");
            if (n < 1) {
                throw error("length must be at least 1");
            }
            return n;
        }
        return 0;
    }

    private TableSchema schema(String table, List<ColumnSpec> columns, @Nullable List<String> tablePk) {
        if (columns.isEmpty()) {
            throw error("table " + table + " has no columns");
        }
        Set<String> names = new LinkedHashSet<>();
        List<Integer> pk = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec c = columns.get(i);
            if (!names.add(c.name())) {
                throw new StrataException(
                        ErrorCode.INVALID_SQL,
                        "table " + table + ": column " + c.name() + " is defined twice (position " + c.position()
                                + ")");
            }
            if (c.pk()) {
                pk.add(i);
            }
        }
        if (tablePk != null) {
            if (!pk.isEmpty()) {
                throw error("table " + table + " has both a column and a table PRIMARY KEY");
            }
            for (String n : tablePk) {
                int idx = new ArrayList<>(names).indexOf(n);
                if (idx < 0) {
                    throw new StrataException(
                            ErrorCode.COLUMN_NOT_FOUND,
                            "table " + table + ": PRIMARY KEY column " + n + " is not a column of the table");
                }
                if (pk.contains(idx)) {
                    throw error("table " + table + ": column " + n + " appears twice in the PRIMARY KEY");
                }
                pk.add(idx);
            }
        }
        if (pk.isEmpty()) {
            throw new StrataException(
                    ErrorCode.INVALID_SQL, "table " + table + " needs a PRIMARY KEY (column or table constraint)");
        }
        if (pk.size() > 1 && tablePk == null) {
            throw error("table " + table + ": more than one column says PRIMARY KEY; use PRIMARY KEY (a, b)");
        }
        List<ColumnDef> defs = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec c = columns.get(i);
            boolean nullable = !c.notNull() && !pk.contains(i);
            defs.add(new ColumnDef(c.name(), c.type(), c.precision(), c.scale(), nullable, c.defaultValue()));
        }
        return new TableSchema(table, defs, pk);
    }

    // ---- pieces ----

    private String tableName() {
        String first = identifier("table name");
        if (acceptSymbol(".")) {
            String second = identifier("table name");
            if (first.equals(SysSchema.NAME)) {
                throw new StrataException(
                        ErrorCode.READ_ONLY_TABLE, "schema SYS is read-only; cannot create or drop SYS." + second);
            }
            if (!first.equals(StrataSchema.NAME)) {
                throw new StrataException(
                        ErrorCode.INVALID_SQL, "unknown schema " + first + "; user tables live in PUBLIC");
            }
            return second;
        }
        return first;
    }

    private List<String> identifierList() {
        List<String> out = new ArrayList<>();
        expectSymbol("(");
        do {
            out.add(identifier("column name"));
        } while (acceptSymbol(","));
        expectSymbol(")");
        return out;
    }

    private String identifier(String what) {
        Token t = next();
        if (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED) {
            return t.text();
        }
        throw error("expected a " + what + " but found " + t.describe(), t);
    }

    private int number(String what) {
        Token t = next();
        if (t.kind() == Token.Kind.NUMBER) {
            try {
                return Integer.parseInt(t.text());
            } catch (NumberFormatException e) {
                throw error("bad " + what + " " + t.text(), t);
            }
        }
        throw error("expected a number for the " + what + " but found " + t.describe(), t);
    }

    /** A literal: number (optionally signed), string, X'hex', TRUE, FALSE, NULL, DATE/TIME/TIMESTAMP 'text'. */
    private @Nullable Object literal() {
        Token t = next();
        boolean negative = false;
        if (t.isSymbol("-") || t.isSymbol("+")) {
            negative = t.isSymbol("-");
            t = next();
            if (t.kind() != Token.Kind.NUMBER) {
                throw error("expected a number after the sign but found " + t.describe(), t);
            }
        }
        return switch (t.kind()) {
            case NUMBER -> number(t, negative);
            case STRING -> t.text();
            case HEX -> hex(t);
            case WORD -> wordLiteral(t);
            default -> throw error("expected a literal value but found " + t.describe(), t);
        };
    }

    private BigDecimal number(Token t, boolean negative) {
        try {
            BigDecimal d = new BigDecimal(t.text());
            return negative ? d.negate() : d;
        } catch (NumberFormatException e) {
            throw error("bad number " + t.text(), t);
        }
    }

    private byte[] hex(Token t) {
        try {
            return HexFormat.of().parseHex(t.text());
        } catch (IllegalArgumentException e) {
            throw error("bad hexadecimal literal X'" + t.text() + "'", t);
        }
    }

    private @Nullable Object wordLiteral(Token t) {
        return switch (t.text()) {
            case "TRUE" -> (Object) true;
            case "FALSE" -> (Object) false;
            case "NULL" -> null;
            case "DATE", "TIME", "TIMESTAMP" -> {
                Token s = next();
                if (s.kind() != Token.Kind.STRING) {
                    throw error("expected a quoted " + t.text() + " value but found " + s.describe(), s);
                }
                yield s.text();
            }
            default ->
                throw new StrataException(
                        ErrorCode.UNSUPPORTED,
                        "only literal values are supported here, not " + t.text() + " (position " + t.position() + ")");
        };
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.END) {
            pos++;
        }
        return t;
    }

    private boolean accept(String word) {
        if (peek().is(word) || (word.equals(";") && peek().isSymbol(";"))) {
            next();
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String s) {
        if (peek().isSymbol(s)) {
            next();
            return true;
        }
        return false;
    }

    private void expect(String word) {
        Token t = next();
        if (!t.is(word)) {
            throw error("expected " + word + " but found " + t.describe(), t);
        }
    }

    private void expectSymbol(String s) {
        Token t = next();
        if (!t.isSymbol(s)) {
            throw error("expected \"" + s + "\" but found " + t.describe(), t);
        }
    }

    private StrataException error(String message) {
        return error(message, peek());
    }

    private StrataException error(String message, Token at) {
        return new StrataException(ErrorCode.SYNTAX_ERROR, message + " at position " + at.position() + " in: " + sql);
    }
}
