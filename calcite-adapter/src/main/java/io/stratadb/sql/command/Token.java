package io.stratadb.sql.command;

/**
 * One lexical token of a command, with its position for error messages.
 *
 * <p>Invariants: for {@link Kind#WORD} the text is upper-cased (an unquoted identifier or keyword); for {@link
 * Kind#QUOTED} it is the identifier exactly as written; for {@link Kind#STRING} the text has its quotes
 * removed and doubled quotes undone.
 *
 * <p>Thread safety: immutable.
 *
 * @param kind the kind of token
 * @param text its text (see the invariants)
 * @param position its offset in the statement, counting from 1
 */
record Token(Kind kind, String text, int position) {
    /** Kinds of tokens. */
    enum Kind {
        WORD,
        QUOTED,
        STRING,
        HEX,
        NUMBER,
        SYMBOL,
        PARAM,
        END
    }

    boolean is(String word) {
        return kind == Kind.WORD && text.equals(word);
    }

    boolean isSymbol(String s) {
        return kind == Kind.SYMBOL && text.equals(s);
    }

    /** How the token reads in an error message. */
    String describe() {
        return switch (kind) {
            case END -> "end of statement";
            case STRING -> "'" + text + "'";
            case QUOTED -> "\"" + text + "\"";
            default -> "\"" + text + "\"";
        };
    }
}
