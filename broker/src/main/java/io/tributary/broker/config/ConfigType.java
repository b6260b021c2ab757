package io.tributary.broker.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The type of a configuration value and how its string form is parsed. */
public enum ConfigType {
    INT("an integer") {
        @Override
        Object parse(String value) {
            return Integer.parseInt(value);
        }
    },
    LONG("an integer") {
        @Override
        Object parse(String value) {
            return Long.parseLong(value);
        }
    },
    DOUBLE("a number") {
        @Override
        Object parse(String value) {
            double parsed = Double.parseDouble(value);
            if (Double.isNaN(parsed)) {
                throw new NumberFormatException(value);
            }
            return parsed;
        }
    },
    BOOLEAN("true or false") {
        @Override
        Object parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException(value);
            };
        }
    },
    STRING("a string") {
        @Override
        Object parse(String value) {
            return value;
        }
    },
    /** Comma-separated; blanks around items are dropped, as are empty items. */
    LIST("a comma-separated list") {
        @Override
        Object parse(String value) {
            List<String> items = new ArrayList<>();
            for (String item : value.split(",")) {
                String trimmed = item.trim();
                if (!trimmed.isEmpty()) {
                    items.add(trimmed);
                }
            }
            return Collections.unmodifiableList(items);
        }
    };

    private final String description;

    ConfigType(String description) {
        this.description = description;
    }

    /**
     * Parses a trimmed string value.
     *
     * @throws IllegalArgumentException (including {@link NumberFormatException}) if it is not of this type
     */
    abstract Object parse(String value);

    /** What a value of this type looks like, for error messages. */
    public String description() {
        return description;
    }
}
