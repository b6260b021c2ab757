package io.tributary.jms.selector;

import io.tributary.jms.selector.Expression.Kind;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recursive-descent parser, lowest precedence first:
 * <pre>
 * or         := and (OR and)*
 * and        := not (AND not)*
 * not        := NOT not | comparison
 * comparison := sum [ (= | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;=) sum
 *                   | [NOT] BETWEEN sum AND sum
 *                   | [NOT] LIKE string [ESCAPE string]     (left side an identifier)
 *                   | [NOT] IN ( string {, string} )        (left side an identifier)
 *                   | IS [NOT] NULL ]                       (left side an identifier)
 * sum        := product ((+ | -) product)*
 * product    := unary ((* | /) unary)*
 * unary      := (+ | -) unary | primary
 * primary    := ( or ) | literal | identifier
 * </pre>
 * Types known from literals are checked here: {@code 'a' + 1}, {@code 'a' > 'b'}, {@code 1 AND x} and a selector
 * that is not a condition ({@code 1}) are syntax errors.
 */
final class Parser {
    private static final BigInteger LONG_MIN_MAGNITUDE = BigInteger.valueOf(Long.MIN_VALUE).negate();

    private final List<Token> tokens;
    private int index;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Expression parse(String selector) throws SelectorSyntaxException {
        Parser parser = new Parser(Lexer.tokens(selector));
        Expression root = parser.or();
        Token end = parser.peek();
        if (end.type() != Token.Type.END) {
            throw new SelectorSyntaxException("unexpected '" + end.text() + "'", end.position());
        }
        requireCondition(root, 0);
        return root;
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token take() {
        return tokens.get(index++);
    }

    private Expression or() throws SelectorSyntaxException {
        Expression left = and();
        while (peek().isKeyword("OR")) {
            Token op = take();
            requireCondition(left, op.position());
            Expression right = and();
            requireCondition(right, op.position());
            left = new Expression.Logical(Expression.LogicalOperator.OR, left, right);
        }
        return left;
    }

    private Expression and() throws SelectorSyntaxException {
        Expression left = not();
        while (peek().isKeyword("AND")) {
            Token op = take();
            requireCondition(left, op.position());
            Expression right = not();
            requireCondition(right, op.position());
            left = new Expression.Logical(Expression.LogicalOperator.AND, left, right);
        }
        return left;
    }

    private Expression not() throws SelectorSyntaxException {
        if (peek().isKeyword("NOT")) {
            Token op = take();
            Expression operand = not();
            requireCondition(operand, op.position());
            return new Expression.Not(operand);
        }
        return comparison();
    }

    private Expression comparison() throws SelectorSyntaxException {
        Expression left = sum();
        Token token = peek();
        if (token.type() == Token.Type.OPERATOR && Expression.ComparisonOperator.of(token.text()) != null) {
            take();
            Expression.ComparisonOperator operator = Expression.ComparisonOperator.of(token.text());
            Expression right = sum();
            checkComparable(operator, left, right, token.position());
            return new Expression.Comparison(operator, left, right);
        }
        if (token.isKeyword("IS")) {
            take();
            boolean negated = acceptKeyword("NOT");
            expectKeyword("NULL");
            return new Expression.IsNull(identifier(left, "IS NULL", token), negated);
        }
        boolean negated = false;
        if (token.isKeyword("NOT")) {
            take();
            negated = true;
            token = peek();
            if (!token.isKeyword("BETWEEN") && !token.isKeyword("LIKE") && !token.isKeyword("IN")) {
                throw new SelectorSyntaxException("expected BETWEEN, LIKE or IN after NOT", token.position());
            }
        }
        if (token.isKeyword("BETWEEN")) {
            take();
            Expression low = sum();
            expectKeyword("AND");
            Expression high = sum();
            for (Expression e : List.of(left, low, high)) {
                requireNumeric(e, token.position(), "BETWEEN");
            }
            return new Expression.Between(left, low, high, negated);
        }
        if (token.isKeyword("LIKE")) {
            take();
            Expression.Identifier identifier = identifier(left, "LIKE", token);
            Token pattern = expect(Token.Type.STRING, "a string pattern after LIKE");
            Character escape = null;
            if (acceptKeyword("ESCAPE")) {
                Token escapeToken = expect(Token.Type.STRING, "a string after ESCAPE");
                if (escapeToken.text().length() != 1) {
                    throw new SelectorSyntaxException("ESCAPE must be one character", escapeToken.position());
                }
                escape = escapeToken.text().charAt(0);
            }
            return new Expression.Like(identifier, likePattern(pattern, escape), negated);
        }
        if (token.isKeyword("IN")) {
            take();
            Expression.Identifier identifier = identifier(left, "IN", token);
            expectOperator("(");
            Set<String> values = new HashSet<>();
            do {
                values.add(expect(Token.Type.STRING, "a string literal in the IN list").text());
            } while (acceptOperator(","));
            expectOperator(")");
            return new Expression.In(identifier, Set.copyOf(values), negated);
        }
        return left;
    }

    private Expression sum() throws SelectorSyntaxException {
        Expression left = product();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token op = take();
            Expression right = product();
            requireNumeric(left, op.position(), op.text());
            requireNumeric(right, op.position(), op.text());
            left = new Expression.Arithmetic(op.text().charAt(0), left, right);
        }
        return left;
    }

    private Expression product() throws SelectorSyntaxException {
        Expression left = unary();
        while (peek().isOperator("*") || peek().isOperator("/")) {
            Token op = take();
            Expression right = unary();
            requireNumeric(left, op.position(), op.text());
            requireNumeric(right, op.position(), op.text());
            left = new Expression.Arithmetic(op.text().charAt(0), left, right);
        }
        return left;
    }

    private Expression unary() throws SelectorSyntaxException {
        Token token = peek();
        if (token.isOperator("-") || token.isOperator("+")) {
            take();
            Token next = peek();
            if (token.isOperator("-") && next.type() == Token.Type.EXACT
                    && new BigInteger(next.text()).equals(LONG_MIN_MAGNITUDE)) {
                take();
                return new Expression.Literal(Long.MIN_VALUE, Kind.NUMERIC);
            }
            Expression operand = unary();
            requireNumeric(operand, token.position(), token.text());
            return token.isOperator("-") ? new Expression.Negate(operand) : operand;
        }
        return primary();
    }

    private Expression primary() throws SelectorSyntaxException {
        Token token = take();
        switch (token.type()) {
            case STRING:
                return new Expression.Literal(token.text(), Kind.STRING);
            case EXACT:
                try {
                    return new Expression.Literal(Long.parseLong(token.text()), Kind.NUMERIC);
                } catch (NumberFormatException e) {
                    throw new SelectorSyntaxException("integer literal out of range: " + token.text(), token.position());
                }
            case APPROXIMATE:
                return new Expression.Literal(Double.parseDouble(token.text()), Kind.NUMERIC);
            case IDENTIFIER:
                return new Expression.Identifier(token.text());
            case KEYWORD:
                if (token.isKeyword("TRUE") || token.isKeyword("FALSE")) {
                    return new Expression.Literal(token.isKeyword("TRUE"), Kind.BOOLEAN);
                }
                break;
            case OPERATOR:
                if (token.isOperator("(")) {
                    Expression inner = or();
                    expectOperator(")");
                    return inner;
                }
                break;
            default:
                throw new SelectorSyntaxException("unexpected end of selector", token.position());
        }
        throw new SelectorSyntaxException("unexpected '" + token.text() + "'", token.position());
    }

    private static Pattern likePattern(Token pattern, Character escape) throws SelectorSyntaxException {
        StringBuilder regex = new StringBuilder();
        String text = pattern.text();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (escape != null && c == escape) {
                if (++i == text.length()) {
                    throw new SelectorSyntaxException("LIKE pattern ends with its escape character", pattern.position());
                }
                regex.append(Pattern.quote(String.valueOf(text.charAt(i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static Expression.Identifier identifier(Expression e, String operator, Token at)
            throws SelectorSyntaxException {
        if (e instanceof Expression.Identifier identifier) {
            return identifier;
        }
        throw new SelectorSyntaxException(operator + " needs an identifier on its left", at.position());
    }

    private static void requireCondition(Expression e, int position) throws SelectorSyntaxException {
        if (e.kind() != Kind.BOOLEAN && e.kind() != Kind.ANY) {
            throw new SelectorSyntaxException("a " + e.kind().name().toLowerCase() + " value is not a condition",
                    position);
        }
    }

    private static void requireNumeric(Expression e, int position, String operator) throws SelectorSyntaxException {
        if (e.kind() != Kind.NUMERIC && e.kind() != Kind.ANY) {
            throw new SelectorSyntaxException("'" + operator + "' needs numbers, not a "
                    + e.kind().name().toLowerCase() + " value", position);
        }
    }

    private static void checkComparable(Expression.ComparisonOperator operator, Expression left, Expression right,
                                        int position) throws SelectorSyntaxException {
        Kind a = left.kind();
        Kind b = right.kind();
        if (a != Kind.ANY && b != Kind.ANY && a != b) {
            throw new SelectorSyntaxException("cannot compare a " + a.name().toLowerCase() + " value with a "
                    + b.name().toLowerCase() + " value", position);
        }
        if (operator.ordering() && (a == Kind.STRING || a == Kind.BOOLEAN || b == Kind.STRING || b == Kind.BOOLEAN)) {
            throw new SelectorSyntaxException("strings and booleans compare only with = and <>", position);
        }
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            index++;
            return true;
        }
        return false;
    }

    private boolean acceptOperator(String operator) {
        if (peek().isOperator(operator)) {
            index++;
            return true;
        }
        return false;
    }

    private void expectKeyword(String keyword) throws SelectorSyntaxException {
        if (!acceptKeyword(keyword)) {
            throw new SelectorSyntaxException("expected " + keyword, peek().position());
        }
    }

    private void expectOperator(String operator) throws SelectorSyntaxException {
        if (!acceptOperator(operator)) {
            throw new SelectorSyntaxException("expected '" + operator + "'", peek().position());
        }
    }

    private Token expect(Token.Type type, String what) throws SelectorSyntaxException {
        if (peek().type() != type) {
            throw new SelectorSyntaxException("expected " + what, peek().position());
        }
        return take();
    }
}
