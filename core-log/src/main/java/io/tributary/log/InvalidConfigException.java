package io.tributary.log;

/** A configuration value that is not allowed; the message names the key and what is allowed. */
public final class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public InvalidConfigException(String key, String value, String allowed) {
        super("Invalid value '" + value + "' for configuration " + key + ": must be " + allowed);
        this.key = key;
    }

    /** A value of {@code key} that does not fit with other keys' values, as {@code message} says. */
    public InvalidConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
