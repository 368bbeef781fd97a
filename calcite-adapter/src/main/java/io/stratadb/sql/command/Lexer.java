package io.stratadb.sql.command;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a command into {@link Token}s, skipping whitespace and {@code --} and {@code /* *}{@code /} comments.
 *
 * <p>Invariants: the token list always ends with one {@link Token.Kind#END}; malformed input (an unclosed
 * string, quoted identifier or comment) fails with SYNTAX_ERROR naming the position.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class Lexer {
    private Lexer() {}

    static List<Token> tokens(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    throw error(sql, i, "unclosed comment");
                }
                i = end + 2;
            } else if ((c == 'X' || c == 'x') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                int start = i;
                StringBuilder sb = new StringBuilder();
                i = quoted(sql, i + 1, '\'', sb);
                out.add(new Token(Token.Kind.HEX, sb.toString(), start + 1));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n
                        && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                out.add(new Token(Token.Kind.WORD, sql.substring(start, i).toUpperCase(Locale.ROOT), start + 1));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int start = i;
                while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
                    i++;
                    if (i < n && (sql.charAt(i) == '+' || sql.charAt(i) == '-')) {
                        i++;
                    }
                    while (i < n && Character.isDigit(sql.charAt(i))) {
                        i++;
                    }
                }
                out.add(new Token(Token.Kind.NUMBER, sql.substring(start, i), start + 1));
            } else if (c == '\'') {
                int start = i;
                StringBuilder sb = new StringBuilder();
                i = quoted(sql, i, '\'', sb);
                out.add(new Token(Token.Kind.STRING, sb.toString(), start + 1));
            } else if (c == '"') {
                int start = i;
                StringBuilder sb = new StringBuilder();
                i = quoted(sql, i, '"', sb);
                if (sb.length() == 0) {
                    throw error(sql, start, "empty quoted identifier");
                }
                out.add(new Token(Token.Kind.QUOTED, sb.toString(), start + 1));
            } else if (c == '?') {
                out.add(new Token(Token.Kind.PARAM, "?", i + 1));
                i++;
            } else if ("(),.;+-".indexOf(c) >= 0) {
                out.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), i + 1));
                i++;
            } else {
                throw error(sql, i, "unexpected character '" + c + "'");
            }
        }
        out.add(new Token(Token.Kind.END, "", n + 1));
        return out;
    }

    /** Reads a quoted run starting at the opening quote; returns the index after the closing quote. */
    private static int quoted(String sql, int open, char quote, StringBuilder sb) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    sb.append(quote);
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            sb.append(c);
            i++;
        }
        throw error(sql, open, "unclosed " + (quote == '"' ? "quoted identifier" : "string literal"));
    }

    private static StrataException error(String sql, int index, String what) {
        return new StrataException(ErrorCode.SYNTAX_ERROR, what + " at position " + (index + 1) + " in: " + sql);
    }
}
