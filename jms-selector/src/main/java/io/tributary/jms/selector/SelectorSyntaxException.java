package io.tributary.jms.selector;

/** A selector that is not valid: the message names the problem and the position (0-based) where it was found. */
public final class SelectorSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int position;

    SelectorSyntaxException(String message, int position) {
        super(message + " at position " + position);
        this.position = position;
    }

    /** The 0-based character position in the selector where the problem was found. */
    public int position() {
        return position;
    }
}
