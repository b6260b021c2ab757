package io.tributary.jms.selector;

/** One lexical token of a selector; {@code text} is the source text (for a string literal: its value). */
record Token(Type type, String text, int position) {
    enum Type { IDENTIFIER, KEYWORD, STRING, EXACT, APPROXIMATE, OPERATOR, END }

    boolean is(Type t, String s) {
        return type == t && text.equals(s);
    }

    boolean isKeyword(String keyword) {
        return is(Type.KEYWORD, keyword);
    }

    boolean isOperator(String operator) {
        return is(Type.OPERATOR, operator);
    }
}
