package io.tributary.kafka.admin;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.Topic;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TopicConfigsTest {
    @TempDir
    Path dir;
    LogManager log;
    TopicConfigs configs;

    @BeforeEach
    void open() {
        // a broker whose configuration changed the default segment size
        log = LogManager.open(LogManagerConfig.builder(dir)
                .defaults(LogConfig.defaults().withOverrides(Map.of("segment.bytes", "1048576"))).build());
        configs = new TopicConfigs(log, new BrokerSettings(1, "c", 1, true, 1 << 20, 60_000L,
                Map.of("log.segment.bytes", "1048576", "log.flush.interval.ms", "1000"),
                Set.of("log.segment.bytes", "log.flush.interval.ms")));
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void sourcesFollowTopicThenBrokerThenBuiltInDefault() {
        Topic topic = log.createTopic("t", 1, Map.of("retention.ms", "5000"));

        List<DescribeConfigsResourceResult> described = configs.describe(topic, null, true, false);

        DescribeConfigsResourceResult retention = find(described, "retention.ms");
        assertThat(retention.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id());
        assertThat(retention.documentation()).isNull();
        DescribeConfigsResourceResult segment = find(described, "segment.bytes");
        assertThat(segment.value()).isEqualTo("1048576");
        assertThat(segment.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
        assertThat(segment.synonyms()).extracting(s -> s.name() + "=" + s.value() + "@" + s.source())
                .containsExactly("log.segment.bytes=1048576@" + ConfigSource.STATIC_BROKER_CONFIG.id(),
                        "log.segment.bytes=1073741824@" + ConfigSource.DEFAULT_CONFIG.id());
        assertThat(find(described, "index.interval.bytes").configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
    }

    @Test
    void aBrokerKeySetToItsDefaultValueIsStillAStaticBrokerConfig() {
        // Given log.flush.interval.ms written in the broker's configuration at its default, 1000
        Topic topic = log.createTopic("t", 1, Map.of());

        // When
        DescribeConfigsResourceResult flush = find(configs.describe(topic, null, true, false), "flush.ms");

        // Then it is reported as set by the broker, as Kafka does
        assertThat(flush.value()).isEqualTo("1000");
        assertThat(flush.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
    }

    @Test
    void hoursKeysAloneAreReportedAsDefaultsWithoutSynonyms() {
        // Given a broker configuration that sets only log.retention.hours and log.roll.hours, at 168
        TopicConfigs hours = new TopicConfigs(log, settings(Map.of("log.retention.hours", "168",
                "log.roll.hours", "168")));
        Topic topic = log.createTopic("t", 1, Map.of());

        // When
        List<DescribeConfigsResourceResult> described = hours.describe(topic, null, true, false);

        // Then as Kafka: the default source and no synonyms, the ms keys being unset
        for (String key : List.of("retention.ms", "segment.ms")) {
            DescribeConfigsResourceResult config = find(described, key);
            assertThat(config.value()).isEqualTo("604800000");
            assertThat(config.configSource()).as(key).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
            assertThat(config.synonyms()).as(key).isEmpty();
        }
    }

    @Test
    void aTopicOverrideIsTheOnlySynonymWhenNoBrokerKeyApplies() {
        // Given a topic overriding retention.ms on a broker that leaves log.retention.ms unset
        Topic topic = log.createTopic("t", 1, Map.of("retention.ms", "5000"));

        // When
        DescribeConfigsResourceResult retention = find(configs.describe(topic, null, true, false), "retention.ms");

        // Then
        assertThat(retention.synonyms()).extracting(s -> s.name() + "=" + s.value() + "@" + s.source())
                .containsExactly("retention.ms=5000@" + ConfigSource.TOPIC_CONFIG.id());
    }

    @Test
    void aSetMsKeyIsFollowedByTheHoursKeyDefault() {
        // Given log.retention.ms set in the broker's configuration
        TopicConfigs ms = new TopicConfigs(log, settings(Map.of("log.retention.ms", "604800000")));
        Topic topic = log.createTopic("t", 1, Map.of());

        // When
        DescribeConfigsResourceResult retention = find(ms.describe(topic, null, true, false), "retention.ms");

        // Then
        assertThat(retention.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
        assertThat(retention.synonyms()).extracting(s -> s.name() + "=" + s.value() + "@" + s.source())
                .containsExactly("log.retention.ms=604800000@" + ConfigSource.STATIC_BROKER_CONFIG.id(),
                        "log.retention.hours=168@" + ConfigSource.DEFAULT_CONFIG.id());
    }

    @Test
    void keysFilterTheAnswer() {
        Topic topic = log.createTopic("t", 1, Map.of());

        List<DescribeConfigsResourceResult> described = configs.describe(topic, List.of("flush.ms", "unknown"), false,
                true);

        assertThat(described).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("flush.ms");
            assertThat(c.synonyms()).isEmpty();
            assertThat(c.documentation()).isNotBlank();
        });
    }

    @Test
    void replaceValidatesBeforeWriting() {
        log.createTopic("t", 1, Map.of("retention.ms", "5000"));

        ConfigError unknown = configs.replace("t", Map.of("cleanup.policy", "shred"), false);
        ConfigError invalid = configs.replace("t", Map.of("segment.bytes", "1"), false);
        ConfigError dryRun = configs.replace("t", Map.of("segment.bytes", "100000"), true);

        assertThat(unknown.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(unknown.message()).contains("cleanup.policy");
        assertThat(invalid.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(invalid.message()).contains("segment.bytes");
        assertThat(dryRun).isEqualTo(ConfigError.NONE);
        assertThat(log.topic("t").orElseThrow().configOverrides()).containsOnly(Map.entry("retention.ms", "5000"));
        assertThat(configs.checkAlterable("").error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(configs.checkAlterable("bad/name").error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(configs.checkAlterable("nope").error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    /** Broker settings in which exactly {@code explicit} were written in the configuration. */
    private static BrokerSettings settings(Map<String, String> explicit) {
        return new BrokerSettings(1, "c", 1, true, 1 << 20, 60_000L, explicit, explicit.keySet());
    }

    private static DescribeConfigsResourceResult find(List<DescribeConfigsResourceResult> all, String name) {
        return all.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
