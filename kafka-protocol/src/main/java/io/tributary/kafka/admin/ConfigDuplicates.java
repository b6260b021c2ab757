package io.tributary.kafka.admin;

import org.apache.kafka.common.protocol.Errors;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The duplicate checks Kafka makes on AlterConfigs and IncrementalAlterConfigs requests, over
 * either API's generated resource and config types: a resource (type and name) listed twice, and a
 * config key listed twice within one resource. Both are INVALID_REQUEST, with Kafka's messages.
 */
final class ConfigDuplicates {
    static final ConfigError RESOURCE_LISTED_TWICE =
            new ConfigError(Errors.INVALID_REQUEST, "Each resource must appear at most once.");
    static final ConfigError KEY_LISTED_TWICE = new ConfigError(Errors.INVALID_REQUEST, "Error due to duplicate config keys");

    private ConfigDuplicates() {
    }

    /** Which of {@code resources} share their type and name with another one: every copy of such a resource. */
    static <R> Predicate<R> listedTwice(Collection<R> resources, ToIntFunction<R> type, Function<R, String> name) {
        Map<Resource, Integer> occurrences = new HashMap<>();
        for (R resource : resources) {
            occurrences.merge(new Resource(type.applyAsInt(resource), name.apply(resource)), 1, Integer::sum);
        }
        return resource -> occurrences.getOrDefault(new Resource(type.applyAsInt(resource), name.apply(resource)), 0) > 1;
    }

    /**
     * Position, in iteration order, of the first of {@code configs} whose key an earlier one already
     * has, or -1 if the keys are distinct.
     */
    static <C> int firstRepeatedKey(Iterable<C> configs, Function<C, String> key) {
        Set<String> seen = new HashSet<>();
        int position = 0;
        for (C config : configs) {
            if (!seen.add(key.apply(config))) {
                return position;
            }
            position++;
        }
        return -1;
    }

    private record Resource(int type, String name) {
    }
}
