package io.tributary.broker.config;

import java.util.List;
import java.util.Map;

/**
 * The result of {@link ConfigParser#parse}: typed values of the known keys that have a value, the
 * effective string of every key (defaults included), and the keys nobody knows.
 *
 * @param values      typed value per known key that is set or has a default
 * @param strings     effective string value of every key supplied or defaulted, unknown keys included
 * @param unknownKeys supplied keys that are not in {@link BrokerKeys#ALL}, in supply order
 */
public record ParsedConfig(Map<String, Object> values, Map<String, String> strings, List<String> unknownKeys) {

    /** Whether the key was supplied or has a default. */
    public boolean isSet(ConfigKey key) {
        return values.containsKey(key.name());
    }

    /** @throws IllegalStateException if the key has neither a value nor a default */
    public Object get(ConfigKey key) {
        Object value = values.get(key.name());
        if (value == null) {
            throw new IllegalStateException("no value for " + key.name());
        }
        return value;
    }
}
