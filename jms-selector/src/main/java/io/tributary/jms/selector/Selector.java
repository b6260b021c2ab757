package io.tributary.jms.selector;

/**
 * A parsed JMS message selector. Immutable and thread-safe: parse once, evaluate against many messages.
 *
 * <p>Evaluation follows SQL's three-valued logic: a missing identifier, a comparison of different types (a
 * string with a number) or an integer division by zero is UNKNOWN, {@code NOT UNKNOWN} is UNKNOWN, and a
 * message is selected only when the whole selector is TRUE.
 */
public final class Selector {
    private static final Selector ALL = new Selector("", null);

    private final String text;
    private final Expression root;

    private Selector(String text, Expression root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Parses {@code selector}; {@code null} or blank selects every message.
     *
     * @throws SelectorSyntaxException if it is not a valid selector, naming the problem and its position
     */
    public static Selector parse(String selector) throws SelectorSyntaxException {
        if (selector == null || selector.isBlank()) {
            return ALL;
        }
        return new Selector(selector, Parser.parse(selector));
    }

    /** Whether the message whose identifiers are {@code identifiers} is selected (the selector is TRUE). */
    public boolean matches(Identifiers identifiers) {
        return root == null || Boolean.TRUE.equals(root.evaluate(identifiers));
    }

    /**
     * Whether the selector names the identifier {@code name} anywhere (for example {@code JMSXDeliveryCount}, whose
     * value is known only when a message is delivered).
     */
    public boolean references(String name) {
        return root != null && Expression.references(root, name);
    }

    /** Whether this selector selects every message (it was null or blank). */
    public boolean selectsAll() {
        return root == null;
    }

    @Override
    public String toString() {
        return text;
    }
}
