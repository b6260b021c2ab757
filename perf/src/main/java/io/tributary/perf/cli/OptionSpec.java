package io.tributary.perf.cli;

/**
 * One declared option of a subcommand.
 *
 * @param name         long name without dashes, e.g. {@code record-size}
 * @param valueName    placeholder shown in usage, or null for a flag that takes no value
 * @param defaultValue the value when not given (null: no default; flags default to false)
 * @param repeatable   may be given several times (e.g. {@code --producer-prop k=v})
 * @param description  one line for the usage text
 */
public record OptionSpec(String name, String valueName, String defaultValue, boolean repeatable, String description) {

    /** An option with a value. */
    public static OptionSpec value(String name, String valueName, String defaultValue, String description) {
        return new OptionSpec(name, valueName, defaultValue, false, description);
    }

    /** An option that may be repeated, collecting its values. */
    public static OptionSpec repeated(String name, String valueName, String description) {
        return new OptionSpec(name, valueName, null, true, description);
    }

    /** A flag without a value. */
    public static OptionSpec flag(String name, String description) {
        return new OptionSpec(name, null, null, false, description);
    }

    /** Whether this option takes no value. */
    public boolean isFlag() {
        return valueName == null;
    }
}
