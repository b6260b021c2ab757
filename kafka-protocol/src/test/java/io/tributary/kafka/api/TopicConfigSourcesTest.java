package io.tributary.kafka.api;

import io.tributary.kafka.api.TopicConfigSources.BrokerSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TopicConfigSourcesTest {
    @Test
    void anHoursKeyAloneListsNothingAndIsADefault() {
        // Given only log.retention.hours and log.roll.hours in the broker's configuration
        Set<String> explicit = Set.of("log.retention.hours", "log.roll.hours");

        // When / Then: Kafka lists synonyms from the primary ms key on, so none, and reports the default
        assertThat(TopicConfigSources.brokerSynonymChain("retention.ms", explicit)).isEmpty();
        assertThat(TopicConfigSources.brokerSynonymChain("segment.ms", explicit)).isEmpty();
        assertThat(TopicConfigSources.source("retention.ms", Map.of(), explicit))
                .isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(TopicConfigSources.source("segment.ms", Map.of(), explicit))
                .isEqualTo(ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void aSetPrimaryKeyListsSetKeysThenDefaultedKeys() {
        // Given log.retention.ms and log.retention.hours both set
        Set<String> explicit = Set.of("log.retention.hours", "log.retention.ms");

        // When
        var chain = TopicConfigSources.brokerSynonymChain("retention.ms", explicit);

        // Then the set keys in family order, then the only key with a built-in default
        assertThat(chain).containsExactly(
                new BrokerSynonym("log.retention.ms", ConfigSource.STATIC_BROKER_CONFIG),
                new BrokerSynonym("log.retention.hours", ConfigSource.STATIC_BROKER_CONFIG),
                new BrokerSynonym("log.retention.hours", ConfigSource.DEFAULT_CONFIG));
        assertThat(TopicConfigSources.source("retention.ms", Map.of(), explicit))
                .isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
    }

    @Test
    void aKeyWithADefaultIsListedEvenWhenUnset() {
        // Given an empty broker configuration
        Set<String> explicit = Set.of();

        // When
        var chain = TopicConfigSources.brokerSynonymChain("segment.bytes", explicit);

        // Then
        assertThat(chain).containsExactly(new BrokerSynonym("log.segment.bytes", ConfigSource.DEFAULT_CONFIG));
    }

    @Test
    void theOverrideWinsOverEveryBrokerKey() {
        // Given / When / Then
        assertThat(TopicConfigSources.source("retention.ms", Map.of("retention.ms", "1"), Set.of("log.retention.ms")))
                .isEqualTo(ConfigSource.TOPIC_CONFIG);
    }

    @Test
    void anHoursKeyDefaultIsInHours() {
        // Given / When / Then
        assertThat(TopicConfigSources.brokerDefault("log.retention.hours", "604800000")).isEqualTo("168");
        assertThat(TopicConfigSources.brokerDefault("log.segment.bytes", "1073741824")).isEqualTo("1073741824");
    }
}
