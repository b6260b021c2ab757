package io.tributary.jms.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a selector into tokens. Keywords are case-insensitive and returned upper-case; identifiers are
 * case-sensitive Java identifiers; string literals are single-quoted with {@code ''} for a quote.
 */
final class Lexer {
    static final Set<String> KEYWORDS = Set.of(
            "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE", "NULL", "TRUE", "FALSE");

    private final String source;
    private int pos;

    private Lexer(String source) {
        this.source = source;
    }

    static List<Token> tokens(String source) throws SelectorSyntaxException {
        Lexer lexer = new Lexer(source);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.type() != Token.Type.END);
        return tokens;
    }

    private Token next() throws SelectorSyntaxException {
        while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos == source.length()) {
            return new Token(Token.Type.END, "", start);
        }
        char c = source.charAt(pos);
        if (c == '\'') {
            return string(start);
        }
        if (Character.isDigit(c) || (c == '.' && pos + 1 < source.length() && Character.isDigit(source.charAt(pos + 1)))) {
            return number(start);
        }
        if (Character.isJavaIdentifierStart(c)) {
            while (pos < source.length() && Character.isJavaIdentifierPart(source.charAt(pos))) {
                pos++;
            }
            String word = source.substring(start, pos);
            String upper = word.toUpperCase(Locale.ROOT);
            return KEYWORDS.contains(upper)
                    ? new Token(Token.Type.KEYWORD, upper, start)
                    : new Token(Token.Type.IDENTIFIER, word, start);
        }
        for (String op : new String[] {"<>", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ","}) {
            if (source.startsWith(op, pos)) {
                pos += op.length();
                return new Token(Token.Type.OPERATOR, op, start);
            }
        }
        throw new SelectorSyntaxException("unexpected character '" + c + "'", start);
    }

    private Token string(int start) throws SelectorSyntaxException {
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos == source.length()) {
                throw new SelectorSyntaxException("unterminated string literal", start);
            }
            char c = source.charAt(pos++);
            if (c == '\'') {
                if (pos < source.length() && source.charAt(pos) == '\'') {
                    value.append('\'');
                    pos++;
                } else {
                    return new Token(Token.Type.STRING, value.toString(), start);
                }
            } else {
                value.append(c);
            }
        }
    }

    private Token number(int start) throws SelectorSyntaxException {
        boolean approximate = false;
        digits();
        if (pos < source.length() && source.charAt(pos) == '.') {
            approximate = true;
            pos++;
            digits();
        }
        if (pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
            approximate = true;
            pos++;
            if (pos < source.length() && (source.charAt(pos) == '+' || source.charAt(pos) == '-')) {
                pos++;
            }
            int exponentStart = pos;
            digits();
            if (pos == exponentStart) {
                throw new SelectorSyntaxException("exponent without digits", start);
            }
        }
        if (pos < source.length() && Character.isJavaIdentifierPart(source.charAt(pos))) {
            throw new SelectorSyntaxException("malformed number", start);
        }
        return new Token(approximate ? Token.Type.APPROXIMATE : Token.Type.EXACT, source.substring(start, pos), start);
    }

    private void digits() {
        while (pos < source.length() && Character.isDigit(source.charAt(pos))) {
            pos++;
        }
    }
}
