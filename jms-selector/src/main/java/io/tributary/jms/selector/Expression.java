package io.tributary.jms.selector;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A node of a parsed selector. {@link #evaluate} gives a Long, Double, String, Boolean, or {@code null} for
 * UNKNOWN (a missing identifier, a type mismatch, an integer division by zero).
 */
sealed interface Expression {
    /** What the parser knows statically of a node's type; an identifier can be anything until evaluated. */
    enum Kind { BOOLEAN, NUMERIC, STRING, ANY }

    Object evaluate(Identifiers identifiers);

    Kind kind();

    /** Whether {@code e} or any node below it is the identifier {@code name}. */
    static boolean references(Expression e, String name) {
        if (e instanceof Identifier i) {
            return i.name().equals(name);
        } else if (e instanceof Logical l) {
            return references(l.left(), name) || references(l.right(), name);
        } else if (e instanceof Not n) {
            return references(n.operand(), name);
        } else if (e instanceof Comparison c) {
            return references(c.left(), name) || references(c.right(), name);
        } else if (e instanceof Between b) {
            return references(b.value(), name) || references(b.low(), name) || references(b.high(), name);
        } else if (e instanceof Like l) {
            return references(l.identifier(), name);
        } else if (e instanceof In in) {
            return references(in.identifier(), name);
        } else if (e instanceof IsNull n) {
            return references(n.identifier(), name);
        } else if (e instanceof Arithmetic a) {
            return references(a.left(), name) || references(a.right(), name);
        } else if (e instanceof Negate n) {
            return references(n.operand(), name);
        }
        return false;
    }

    record Literal(Object value, Kind kind) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            return value;
        }
    }

    record Identifier(String name) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            return Values.normalize(identifiers.value(name));
        }

        @Override
        public Kind kind() {
            return Kind.ANY;
        }
    }

    enum LogicalOperator { AND, OR }

    record Logical(LogicalOperator operator, Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            Object a = left.evaluate(identifiers);
            if (operator == LogicalOperator.AND) {
                return Boolean.FALSE.equals(a) ? Boolean.FALSE : Values.and(a, right.evaluate(identifiers));
            }
            return Boolean.TRUE.equals(a) ? Boolean.TRUE : Values.or(a, right.evaluate(identifiers));
        }

        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }
    }

    record Not(Expression operand) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            return Values.not(operand.evaluate(identifiers));
        }

        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }
    }

    enum ComparisonOperator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        ComparisonOperator(String symbol) {
            this.symbol = symbol;
        }

        boolean ordering() {
            return this != EQ && this != NE;
        }

        static ComparisonOperator of(String symbol) {
            for (ComparisonOperator op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            return null;
        }
    }

    record Comparison(ComparisonOperator operator, Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            return compare(operator, left.evaluate(identifiers), right.evaluate(identifiers));
        }

        static Boolean compare(ComparisonOperator operator, Object a, Object b) {
            if (a == null || b == null) {
                return null;
            }
            int c;
            if (Values.isNumber(a) && Values.isNumber(b)) {
                c = Values.compareNumbers(a, b);
                if (c == 2) { // NaN: equal to nothing, ordered against nothing
                    return operator == ComparisonOperator.NE;
                }
            } else if (a.getClass() == b.getClass() && !operator.ordering()) {
                c = a.equals(b) ? 0 : 1;
            } else {
                return null;
            }
            return switch (operator) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }

        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }
    }

    record Between(Expression value, Expression low, Expression high, boolean negated) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            Object v = value.evaluate(identifiers);
            Boolean inside = Values.and(Comparison.compare(ComparisonOperator.GE, v, low.evaluate(identifiers)),
                    Comparison.compare(ComparisonOperator.LE, v, high.evaluate(identifiers)));
            return negated ? Values.not(inside) : inside;
        }

        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }
    }

    record Like(Identifier identifier, Pattern pattern, boolean negated) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            if (!(identifier.evaluate(identifiers) instanceof String s)) {
                return null;
            }
            return pattern.matcher(s).matches() != negated;
        }

        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }
    }

    record In(Identifier identifier, Set<String> values, boolean negated) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            if (!(identifier.evaluate(identifiers) instanceof String s)) {
                return null;
            }
            return values.contains(s) != negated;
        }

        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }
    }

    record IsNull(Identifier identifier, boolean negated) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            return (identifier.evaluate(identifiers) == null) != negated;
        }

        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }
    }

    record Arithmetic(char operator, Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            Object a = left.evaluate(identifiers);
            Object b = right.evaluate(identifiers);
            if (!Values.isNumber(a) || !Values.isNumber(b)) {
                return null;
            }
            if (a instanceof Long x && b instanceof Long y) {
                return switch (operator) {
                    case '+' -> x + y;
                    case '-' -> x - y;
                    case '*' -> x * y;
                    default -> y == 0 ? null : x / y;
                };
            }
            double x = ((Number) a).doubleValue();
            double y = ((Number) b).doubleValue();
            return switch (operator) {
                case '+' -> x + y;
                case '-' -> x - y;
                case '*' -> x * y;
                default -> x / y;
            };
        }

        @Override
        public Kind kind() {
            return Kind.NUMERIC;
        }
    }

    record Negate(Expression operand) implements Expression {
        @Override
        public Object evaluate(Identifiers identifiers) {
            Object a = operand.evaluate(identifiers);
            if (a instanceof Long x) {
                return -x;
            }
            return a instanceof Double d ? -d : null;
        }

        @Override
        public Kind kind() {
            return Kind.NUMERIC;
        }
    }
}
