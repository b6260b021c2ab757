package io.tributary.log.internal;

import java.util.regex.Pattern;

/** Kafka's rules for topic names: 1 to 249 characters of {@code [a-zA-Z0-9._-]}, not "." or "..". */
final class TopicNames {
    static final int MAX_LENGTH = 249;
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

    private TopicNames() {
    }

    /** @throws IllegalArgumentException naming the rule {@code name} breaks */
    static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Topic name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Topic name is longer than " + MAX_LENGTH + " characters: " + name);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("Topic name cannot be '.' or '..'");
        }
        if (!LEGAL.matcher(name).matches()) {
            throw new IllegalArgumentException("Topic name '" + name
                    + "' has characters other than ASCII letters, digits, '.', '_' and '-'");
        }
    }

    /** The directory name of a partition: {@code <topic>-<partition>}. */
    static String partitionDir(String topic, int partition) {
        return topic + "-" + partition;
    }
}
