package io.tributary.kafka.admin;

import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The broker's configuration as Kafka's config APIs see it. Tributary reads its configuration once
 * at start and has no dynamic broker configs, so: every setting is read-only, reported as
 * {@code STATIC_BROKER_CONFIG} when the file or an override set it and {@code DEFAULT_CONFIG} when
 * it holds its default; the cluster-wide default resource (empty name) has no
 * entries; and any change is refused as Kafka refuses a config that cannot be updated dynamically
 * (INVALID_REQUEST). Values of keys that look secret are hidden (null, sensitive), as Kafka does
 * for passwords.
 */
final class BrokerConfigs {
    private final BrokerSettings settings;

    BrokerConfigs(BrokerSettings settings) {
        this.settings = settings;
    }

    /**
     * Checks a broker resource name as Kafka does: empty (cluster default) or this node's id; a
     * non-number or another id is INVALID_REQUEST.
     */
    ConfigError checkName(String name) {
        if (name == null || name.isEmpty()) {
            return ConfigError.NONE;
        }
        int id;
        try {
            id = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return new ConfigError(Errors.INVALID_REQUEST, "Node id must be an integer, but it is: " + name);
        }
        if (id != settings.nodeId()) {
            return new ConfigError(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + settings.nodeId()
                    + " or empty string, but received " + name);
        }
        return ConfigError.NONE;
    }

    /** The settings of the (already checked) resource {@code name}, filtered by {@code keys} when non-empty. */
    List<DescribeConfigsResourceResult> describe(String name, Collection<String> keys, boolean synonyms) {
        List<DescribeConfigsResourceResult> results = new ArrayList<>();
        if (name == null || name.isEmpty()) {
            return results;
        }
        for (Map.Entry<String, String> e : new TreeMap<>(settings.all()).entrySet()) {
            if (keys != null && !keys.isEmpty() && !keys.contains(e.getKey())) {
                continue;
            }
            boolean sensitive = isSensitive(e.getKey());
            String value = sensitive ? null : e.getValue();
            ConfigSource source = settings.explicitKeys().contains(e.getKey())
                    ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
            List<DescribeConfigsSynonym> chain = new ArrayList<>();
            if (synonyms) {
                chain.add(new DescribeConfigsSynonym().setName(e.getKey()).setValue(value).setSource(source.id()));
            }
            results.add(new DescribeConfigsResourceResult().setName(e.getKey()).setValue(value)
                    .setReadOnly(true).setIsSensitive(sensitive)
                    .setConfigSource(source.id())
                    .setSynonyms(chain).setConfigType(ConfigType.UNKNOWN.id()));
        }
        return results;
    }

    /** The answer to setting {@code keys} on a broker resource: none can change at runtime. */
    ConfigError refuseChanges(Collection<String> keys) {
        if (keys.isEmpty()) {
            return ConfigError.NONE;
        }
        return new ConfigError(Errors.INVALID_REQUEST, "Cannot update these configs dynamically: "
                + new java.util.TreeSet<>(keys) + " (Tributary reads broker configs only at start)");
    }

    private static boolean isSensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.endsWith(".jaas.config");
    }
}
