package io.tributary.log;

import java.util.Locale;

/**
 * What happens to a topic's old segments ({@code cleanup.policy}): deleted by retention, compacted
 * by the log cleaner to the latest record of each key, or both.
 */
public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact"),
    COMPACT_DELETE("compact,delete");

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** Whether retention ({@code retention.ms}, {@code retention.bytes}) deletes old segments. */
    public boolean deletes() {
        return this != COMPACT;
    }

    /** Whether the log cleaner keeps only the latest record of each key. */
    public boolean compacts() {
        return this != DELETE;
    }

    /** The value as Kafka writes it: {@code delete}, {@code compact} or {@code compact,delete}. */
    public String configValue() {
        return configValue;
    }

    /**
     * Parses Kafka's list syntax: {@code delete}, {@code compact}, or both in either order,
     * case-insensitive, spaces allowed around the comma.
     *
     * @throws IllegalArgumentException for an empty list or another word
     */
    public static CleanupPolicy parse(String value) {
        boolean delete = false;
        boolean compact = false;
        for (String part : value.split(",", -1)) {
            switch (part.trim().toLowerCase(Locale.ROOT)) {
                case "delete" -> delete = true;
                case "compact" -> compact = true;
                default -> throw new IllegalArgumentException("Unknown cleanup.policy '" + part.trim() + "'");
            }
        }
        return compact ? (delete ? COMPACT_DELETE : COMPACT) : DELETE;
    }
}
