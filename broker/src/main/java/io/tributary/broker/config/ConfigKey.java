package io.tributary.broker.config;

import java.util.Objects;

/**
 * One broker configuration key.
 *
 * @param name         the key as written in the properties file (Kafka's name where Kafka has one)
 * @param type         how the value is parsed
 * @param defaultValue the value used when the key is absent, as a string; {@code null} when there is
 *                     no default (the key only overrides another, e.g. {@code log.retention.ms})
 * @param validator    the check every parsed value must pass
 * @param doc          one line: what the key does
 */
public record ConfigKey(String name, ConfigType type, String defaultValue, Validator validator, String doc) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(doc, "doc");
    }
}
