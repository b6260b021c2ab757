package io.tributary.broker.config;

import io.tributary.log.InvalidConfigException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns raw key/value strings into typed, validated values against a list of {@link ConfigKey}s. */
public final class ConfigParser {
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    public ConfigParser(Collection<ConfigKey> keys) {
        for (ConfigKey key : keys) {
            this.keys.put(key.name(), key);
        }
    }

    /**
     * Parses every supplied key and fills in defaults. Values are trimmed first.
     *
     * @throws InvalidConfigException naming the first key whose value does not parse or validate
     */
    public ParsedConfig parse(Map<String, String> supplied) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> strings = new LinkedHashMap<>();
        for (ConfigKey key : keys.values()) {
            String raw = supplied.get(key.name());
            String effective = raw != null ? raw.trim() : key.defaultValue();
            if (effective != null) {
                values.put(key.name(), parseOne(key, effective));
                strings.put(key.name(), effective);
            }
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : supplied.entrySet()) {
            if (!keys.containsKey(e.getKey())) {
                unknown.add(e.getKey());
                strings.put(e.getKey(), e.getValue() == null ? "" : e.getValue().trim());
            }
        }
        return new ParsedConfig(Collections.unmodifiableMap(values), Collections.unmodifiableMap(strings),
                List.copyOf(unknown));
    }

    private static Object parseOne(ConfigKey key, String value) {
        Object parsed;
        try {
            parsed = key.type().parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(key.name(), value, key.validator().allowed());
        }
        if (!key.validator().accepts(parsed)) {
            throw new InvalidConfigException(key.name(), value, key.validator().allowed());
        }
        return parsed;
    }

    /** The known key closest to {@code unknown} by edit distance, or {@code null} if none is close (distance > 3). */
    public String closestKey(String unknown) {
        String best = null;
        int bestDistance = 4;
        for (String candidate : keys.keySet()) {
            int d = editDistance(unknown, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
