package io.tributary.broker;

import io.tributary.broker.config.BrokerKeys;
import io.tributary.broker.config.ConfigKey;
import io.tributary.delivery.group.GroupConfig;
import io.tributary.delivery.share.ShareBounds;
import io.tributary.delivery.share.ShareConfig;
import io.tributary.delivery.group.store.GroupStoreConfig;
import io.tributary.log.FlushPolicy;
import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogConfig;
import io.tributary.log.TimestampType;
import io.tributary.spi.BrokerSettings;
import io.tributary.spi.CoreConfig;
import io.tributary.spi.ListenerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class BrokerConfigTest {

    /** The shipped file, relative to the module directory surefire runs in. */
    private static final Path SHIPPED = Path.of("..", "config", "tributary.properties");

    @Test
    void shippedPropertiesFileEqualsTheBuiltInDefaults() throws Exception {
        // Given the file in config/ and no file at all
        BrokerConfig fromFile = BrokerConfig.load(SHIPPED, Map.of());
        BrokerConfig builtIn = BrokerConfig.of(Map.of());

        // Then every key has the same effective value and none is unknown
        assertThat(fromFile.unknownKeys()).isEmpty();
        assertThat(fromFile.values()).isEqualTo(builtIn.values());
        assertThat(fromFile.logDefaults().toMap()).isEqualTo(builtIn.logDefaults().toMap());
    }

    @Test
    void shippedPropertiesFileListsEveryKey() throws Exception {
        String text = Files.readString(SHIPPED);
        for (ConfigKey key : BrokerKeys.ALL) {
            assertThat(text).as(key.name()).containsPattern("(?m)^#?" + java.util.regex.Pattern.quote(key.name()) + "=");
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        // When nothing is configured
        BrokerConfig config = BrokerConfig.of(Map.of());

        // Then
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.listeners()).containsExactly(
                new ListenerConfig("PLAINTEXT", "PLAINTEXT", "127.0.0.1", 9092, "127.0.0.1", 9092));
        assertThat(config.logDir()).isEqualTo(Path.of("./data"));
        LogConfig log = config.logDefaults();
        assertThat(log.segmentBytes()).isEqualTo(1 << 30);
        assertThat(log.segmentMs()).isEqualTo(168 * 3_600_000L);
        assertThat(log.retentionMs()).isEqualTo(168 * 3_600_000L);
        assertThat(log.retentionBytes()).isEqualTo(-1);
        assertThat(log.flushPolicy()).isEqualTo(FlushPolicy.ASYNC);
        assertThat(log.flushMs()).isEqualTo(1000);
        assertThat(log.indexIntervalBytes()).isEqualTo(4096);
        assertThat(log.maxMessageBytes()).isEqualTo(1048588);
        assertThat(log.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(config.logManagerConfig().retentionCheckIntervalMs()).isEqualTo(300_000);
        assertThat(config.logManagerConfig().fileDeleteDelayMs()).isEqualTo(60_000);
        assertThat(config.pipelineConfig().ringSize()).isEqualTo(4096);
        assertThat(config.pipelineConfig().producerIdExpirationMs()).isEqualTo(86_400_000L);
        BrokerSettings settings = config.settings("cid");
        assertThat(settings).extracting(BrokerSettings::nodeId, BrokerSettings::clusterId,
                        BrokerSettings::numPartitions, BrokerSettings::autoCreateTopics,
                        BrokerSettings::socketRequestMaxBytes, BrokerSettings::connectionsMaxIdleMs)
                .containsExactly(1, "cid", 1, true, 104_857_600, 600_000L);
        assertThat(settings.all()).containsEntry("num.network.threads", "2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "log.retention.hours=1                                                   | 3600000",
            "log.retention.hours=1,log.retention.minutes=2                           | 120000",
            "log.retention.hours=1,log.retention.minutes=2,log.retention.ms=5        | 5",
            "log.retention.ms=-1,log.retention.hours=1                               | -1",
            "log.retention.hours=-1                                                  | -1",
    })
    void retentionFollowsKafkasPrecedence(String pairs, long expectedMs) {
        // When
        BrokerConfig config = BrokerConfig.of(pairs(pairs));

        // Then
        assertThat(config.logDefaults().retentionMs()).isEqualTo(expectedMs);
    }

    @Test
    void serviceDefaultsAreTheBrokerDefaults() {
        // Given no keys at all
        BrokerConfig config = BrokerConfig.of(Map.of());

        // When the services' configs are built
        CoreConfig core = config.coreConfig("cid");

        // Then each service gets exactly its own defaults: every default is written down once
        assertThat(core.groups()).isEqualTo(GroupConfig.defaults());
        assertThat(core.groupStore()).isEqualTo(GroupStoreConfig.defaults());
        assertThat(core.readThreads()).isEqualTo(CoreConfig.DEFAULT_READ_THREADS);
        assertThat(core.shares()).isEqualTo(ShareConfig.defaults());
        assertThat(core.settings().clusterId()).isEqualTo("cid");
    }

    @Test
    void shareGroupKeysReachTheShareEnginesConfig() {
        // Given every group.share key set away from its default
        Map<String, String> keys = new HashMap<>();
        keys.put("group.share.record.lock.duration.ms", "15000");
        keys.put("group.share.delivery.count.limit", "3");
        keys.put("group.share.partition.max.record.locks", "500");
        keys.put("group.share.heartbeat.interval.ms", "1000");
        keys.put("group.share.session.timeout.ms", "20000");
        keys.put("group.share.max.size", "10");
        keys.put("group.share.min.heartbeat.interval.ms", "1000");
        keys.put("group.share.min.session.timeout.ms", "20000");
        keys.put("group.share.max.record.lock.duration.ms", "40000");
        keys.put("group.share.min.delivery.count.limit", "3");
        keys.put("group.share.max.delivery.count.limit", "20");
        keys.put("group.share.min.partition.max.record.locks", "200");
        keys.put("group.share.max.assignment.interval.ms", "5000");

        // When parsed
        ShareConfig shares = BrokerConfig.of(keys).coreConfig("cid").shares();

        // Then the engine gets each
        assertThat(shares).isEqualTo(new ShareConfig(15_000, 3, 500, 1000, 20_000, 10,
                ShareConfig.OffsetReset.LATEST, new ShareBounds(new ShareBounds.Range(15_000, 40_000),
                new ShareBounds.Range(3, 20), new ShareBounds.Range(20_000, 60_000), new ShareBounds.Range(1000, 15_000),
                new ShareBounds.Range(200, 4000), new ShareBounds.Range(0, 5000))));
    }

    @Test
    void aShareGroupDefaultOutsideItsBrokerBoundsIsRefusedWithKafkasMessage() {
        // Kafka 4.4's messages when it refuses to start (checked against kafka.tools.StorageTool format)
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("group.share.max.record.lock.duration.ms", "50000",
                "group.share.record.lock.duration.ms", "55000")).shareConfig())
                .hasMessage("group.share.max.record.lock.duration.ms must be greater than or equal to "
                        + "group.share.record.lock.duration.ms");
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("group.share.max.heartbeat.interval.ms", "6000",
                "group.share.heartbeat.interval.ms", "7000")).shareConfig())
                .hasMessage("group.share.heartbeat.interval.ms must be less than or equal to "
                        + "group.share.max.heartbeat.interval.ms");
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("group.share.min.session.timeout.ms", "50000",
                "group.share.max.session.timeout.ms", "40000")).shareConfig())
                .hasMessage("group.share.max.session.timeout.ms must be greater than or equal to "
                        + "group.share.min.session.timeout.ms");
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("group.share.session.timeout.ms", "5000")).shareConfig())
                .hasMessage("group.share.session.timeout.ms must be greater than or equal to "
                        + "group.share.min.session.timeout.ms");
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("group.share.max.delivery.count.limit", "26")))
                .hasMessageContaining("group.share.max.delivery.count.limit");
    }

    @Test
    void halfMessageCheckKeysReachTheHalfTransactionConfig() {
        // Given every transaction.check key set away from its default
        Map<String, String> keys = new HashMap<>();
        keys.put("transaction.check.timeout.ms", "100");
        keys.put("transaction.check.interval.ms", "200");
        keys.put("transaction.check.max", "3");
        keys.put("transaction.check.max.outcome", "commit");
        keys.put("transaction.decided.retention.ms", "60000");

        // Then the half-message coordinator gets them
        assertThat(BrokerConfig.of(keys).coreConfig("cid").halfTransactions()).isEqualTo(
                new io.tributary.transactions.HalfTransactionConfig(100, 200, 3, io.tributary.transactions.HalfOutcome.COMMIT,
                        60_000));
        assertThat(BrokerConfig.of(Map.of()).coreConfig("cid").halfTransactions())
                .isEqualTo(io.tributary.transactions.HalfTransactionConfig.defaults());
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("transaction.check.max.outcome", "maybe")))
                .hasMessageContaining("transaction.check.max.outcome");
    }

    @Test
    void aDeliveryCountLimitOutsideKafkasRangeIsRefused() {
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("group.share.delivery.count.limit", "11")))
                .hasMessageContaining("group.share.delivery.count.limit");
    }

    @Test
    void groupKeysReachTheCoordinatorsConfig() {
        // Given every group key set away from its default
        Map<String, String> keys = new HashMap<>();
        keys.put("group.min.session.timeout.ms", "7000");
        keys.put("group.max.session.timeout.ms", "70000");
        keys.put("group.initial.rebalance.delay.ms", "3000");
        keys.put("group.max.size", "50");
        keys.put("offsets.retention.minutes", "60");
        keys.put("offsets.retention.check.interval.ms", "1234");
        keys.put("offset.metadata.max.bytes", "99");
        keys.put("group.consumer.session.timeout.ms", "20000");
        keys.put("group.consumer.heartbeat.interval.ms", "2000");
        keys.put("group.consumer.assignors", "range,uniform");
        keys.put("offsets.topic.segment.bytes", "1048576");
        keys.put("num.io.threads", "7");

        // When parsed
        CoreConfig core = BrokerConfig.of(keys).coreConfig("cid");

        // Then each lands in the coordinator's and the store's typed config
        assertThat(core.groups()).isEqualTo(new GroupConfig(7000, 70000, 3000, 50, 3_600_000L, 1234, 99, 20000,
                2000, "range"));
        assertThat(core.groupStore().segmentBytes()).isEqualTo(1048576);
        assertThat(core.readThreads()).isEqualTo(7);
    }

    @Test
    void rollMsWinsOverRollHours() {
        assertThat(BrokerConfig.of(pairs("log.roll.hours=2")).logDefaults().segmentMs()).isEqualTo(7_200_000L);
        assertThat(BrokerConfig.of(pairs("log.roll.hours=2,log.roll.ms=500")).logDefaults().segmentMs()).isEqualTo(500L);
    }

    @Test
    void brokerKeysMapToTopicLevelKeys() {
        // When
        BrokerConfig config = BrokerConfig.of(pairs("log.flush.policy=sync,log.flush.interval.ms=7,"
                + "log.segment.bytes=1024,log.retention.bytes=99,log.index.interval.bytes=64,"
                + "message.max.bytes=2048,log.message.timestamp.type=LogAppendTime,"
                + "log.message.timestamp.before.max.ms=1000,log.message.timestamp.after.max.ms=2000"));

        // Then
        LogConfig log = config.logDefaults();
        assertThat(log.flushPolicy()).isEqualTo(FlushPolicy.SYNC);
        assertThat(log.flushMs()).isEqualTo(7);
        assertThat(log.segmentBytes()).isEqualTo(1024);
        assertThat(log.retentionBytes()).isEqualTo(99);
        assertThat(log.indexIntervalBytes()).isEqualTo(64);
        assertThat(log.maxMessageBytes()).isEqualTo(2048);
        assertThat(log.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(log.toMap()).containsEntry("message.timestamp.before.max.ms", "1000")
                .containsEntry("message.timestamp.after.max.ms", "2000");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "node.id=x                          | node.id                    | an integer >= 0",
            "num.partitions=0                   | num.partitions             | an integer in [1, 100000]",
            "auto.create.topics.enable=yes      | auto.create.topics.enable  | true or false",
            "log.flush.policy=SYNC_FLUSH        | log.flush.policy           | one of [async, sync]",
            "ingest.ring.size=1000              | ingest.ring.size           | a power of two",
            "log.dirs=/a;/b                     | log.dirs                   | exactly one directory",
            "log.retention.ms=-2                | log.retention.ms           | an integer >= -1",
            "log.message.timestamp.type=Now     | log.message.timestamp.type | one of [CreateTime, LogAppendTime]",
            "listeners=127.0.0.1:9092           | listeners                  | NAME://host:port",
            "listeners=PLAINTEXT://h:70000      | listeners                  | ports in [0, 65535]",
            "log.segment.bytes=10               | log.segment.bytes          | an integer >= 14",
            "group.consumer.assignors=sticky    | group.consumer.assignors   | [uniform, range]",
            "group.min.session.timeout.ms=0     | group.min.session.timeout.ms | an integer >= 1",
            "log.message.timestamp.after.max.ms=-1 | log.message.timestamp.after.max.ms | an integer >= 0",
    })
    void badValueNamesTheKeyAndWhatIsAllowed(String pair, String key, String allowed) {
        // "/a;/b" stands for a two-item list: CsvSource splits on ',' only inside quotes.
        Map<String, String> supplied = pairs(pair.replace(';', ','));

        assertThatThrownBy(() -> BrokerConfig.of(supplied))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(allowed)
                .satisfies(e -> assertThat(((InvalidConfigException) e).key()).isEqualTo(key));
    }

    @Test
    void unknownKeysAreKeptAndReportedWithASuggestion() {
        // When
        BrokerConfig config = BrokerConfig.of(Map.of("log.retention.hour", "1", "kafka.custom", "x"));

        // Then
        assertThat(config.unknownKeys()).containsExactlyInAnyOrder("log.retention.hour", "kafka.custom");
        assertThat(config.values()).containsEntry("kafka.custom", "x");
        assertThat(BrokerConfig.suggestionFor("log.retention.hour")).isEqualTo("log.retention.hours");
        assertThat(BrokerConfig.suggestionFor("kafka.custom")).isNull();
    }

    @Test
    void overridesWinOverTheFile(@TempDir Path dir) throws Exception {
        // Given
        Path file = dir.resolve("b.properties");
        Files.writeString(file, "node.id=3\nnum.partitions=4\n");

        // When
        BrokerConfig config = BrokerConfig.load(file, Map.of("num.partitions", "8"));

        // Then
        assertThat(config.nodeId()).isEqualTo(3);
        assertThat(config.settings("c").numPartitions()).isEqualTo(8);
    }

    private static Map<String, String> pairs(String text) {
        Map<String, String> map = new HashMap<>();
        // split on ',' that starts a new key=value pair, so list values like log.dirs=/a,/b stay whole
        for (String pair : text.split(",(?=[a-z.]+=)")) {
            int eq = pair.indexOf('=');
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }
}
