package io.tributary.differential;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Topic and broker configs through CreateTopics, DescribeConfigs and IncrementalAlterConfigs: values, errors
 * and config sources must be Kafka's on both brokers.
 */
@ExtendWith(BrokerPairExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConfigDifferentialIT {
    /** Set by {@link BrokerPairExtension}. */
    private static BrokerPair brokers;
    /** Set by {@link BrokerPairExtension}. */
    private static Map<String, Admin> admins = Map.of();

    @Test
    @Timeout(60)
    void createTopicWithUnparsableConfigValue() {
        differential("error InvalidConfigurationException", (b, admin) -> Outcome.of(() ->
                admin.createTopics(List.of(new NewTopic("bad-retention", 1, (short) 1)
                        .configs(Map.of("retention.ms", "abc")))).all().get()));
    }

    @Test
    @Timeout(60)
    void createTopicWithUnknownConfigKey() {
        differential("error InvalidConfigurationException", (b, admin) -> Outcome.of(() ->
                admin.createTopics(List.of(new NewTopic("unknown-key", 1, (short) 1)
                        .configs(Map.of("no.such.config", "1")))).all().get()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"retention.ms=3600000", "segment.ms=600000", "max.message.bytes=2000000"})
    @Timeout(60)
    void createTopicWithCommonKafkaConfig(String setting) {
        differential("ok created", (b, admin) -> Outcome.of(() -> createWith(admin, setting)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cleanup.policy=delete", "min.insync.replicas=1", "compression.type=producer"})
    @Timeout(60)
    void createTopicWithKafkaConfigAtTheValueTributaryImplements(String setting) {
        differential("ok created", (b, admin) -> Outcome.of(() -> createWith(admin, setting)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cleanup.policy=compact", "cleanup.policy=compact,delete", "delete.retention.ms=1000",
            "min.cleanable.dirty.ratio=0.1", "min.compaction.lag.ms=5", "max.compaction.lag.ms=600000"})
    @Timeout(60)
    void createTopicWithCompactionConfig(String setting) {
        differential("ok created", (b, admin) -> Outcome.of(() -> createWith(admin, setting)));
    }

    @Test
    @Timeout(60)
    void createTopicsResultReportsLayoutAndConfigSources() {
        differential("ok partitions=3 rf=1 retention.ms=12345/DYNAMIC_TOPIC_CONFIG"
                        + " max.message.bytes=1048588/DEFAULT_CONFIG",
                (b, admin) -> Outcome.of(() -> {
                    CreateTopicsResult result = createWithRetention(admin, "created-configs");
                    return "partitions=" + result.numPartitions("created-configs").get()
                            + " rf=" + result.replicationFactor("created-configs").get()
                            + sources(result.config("created-configs").get(), "retention.ms", "max.message.bytes");
                }));
    }

    @Test
    @Timeout(60)
    void createTopicsResultReportsStaticBrokerSource() {
        differential("ok segment.bytes=104857600/STATIC_BROKER_CONFIG", (b, admin) -> Outcome.of(() ->
                sources(createWithRetention(admin, "created-static").config("created-static").get(),
                        "segment.bytes").trim()));
    }

    @Test
    @Timeout(60)
    void describeConfigsOfUnknownTopic() {
        differential("error UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() ->
                admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "never-created")))
                        .all().get()));
    }

    @Test
    @Timeout(60)
    void describeConfigsReportsValuesAndSources() {
        differential("ok retention.ms=12345/DYNAMIC_TOPIC_CONFIG segment.bytes=104857600/STATIC_BROKER_CONFIG"
                        + " max.message.bytes=1048588/DEFAULT_CONFIG",
                (b, admin) -> Outcome.of(() -> {
                    createWithRetention(admin, "described-configs");
                    return sources(describeTopicConfig(admin, "described-configs"),
                            "retention.ms", "segment.bytes", "max.message.bytes").trim();
                }));
    }

    @Test
    @Timeout(60)
    void describeConfigsReportsStaticBrokerSettingEqualToDefault() {
        differential("ok message.timestamp.after.max.ms=3600000/STATIC_BROKER_CONFIG", (b, admin) -> Outcome.of(() -> {
            createWithRetention(admin, "described-static");
            return sources(describeTopicConfig(admin, "described-static"), "message.timestamp.after.max.ms").trim();
        }));
    }

    /**
     * With synonyms: Kafka lists a topic config's broker synonyms only from its primary broker key on (here
     * log.retention.ms and log.roll.ms, which COMMON leaves unset), so the hour keys' defaults are dropped.
     */
    @Test
    @Timeout(60)
    void describeConfigsSynonymsStartAtThePrimaryBrokerKey() {
        differential("ok retention.ms=604800000/DEFAULT_CONFIG[] segment.ms=604800000/DEFAULT_CONFIG[]"
                        + " segment.bytes=104857600/STATIC_BROKER_CONFIG[log.segment.bytes=104857600/STATIC_BROKER_CONFIG,"
                        + "log.segment.bytes=1073741824/DEFAULT_CONFIG]"
                        + " retention.ms=12345/DYNAMIC_TOPIC_CONFIG[retention.ms=12345/DYNAMIC_TOPIC_CONFIG]",
                (b, admin) -> Outcome.of(() -> {
            create(admin, "synonyms-default", 1);
            createWithRetention(admin, "synonyms-override");
            return (synonyms(describeTopicConfigWithSynonyms(admin, "synonyms-default"),
                    "retention.ms", "segment.ms", "segment.bytes")
                    + synonyms(describeTopicConfigWithSynonyms(admin, "synonyms-override"), "retention.ms")).trim();
        }));
    }

    /** The compaction configs of a compacted topic, with their log.cleaner.* synonyms. */
    @Test
    @Timeout(60)
    void describeConfigsOfACompactedTopic() {
        differential("ok cleanup.policy=compact/DYNAMIC_TOPIC_CONFIG[cleanup.policy=compact/DYNAMIC_TOPIC_CONFIG,"
                        + "log.cleanup.policy=delete/DEFAULT_CONFIG]"
                        + " delete.retention.ms=86400000/DEFAULT_CONFIG[log.cleaner.delete.retention.ms=86400000/DEFAULT_CONFIG]"
                        + " min.cleanable.dirty.ratio=0.1/DYNAMIC_TOPIC_CONFIG[min.cleanable.dirty.ratio=0.1/DYNAMIC_TOPIC_CONFIG,"
                        + "log.cleaner.min.cleanable.ratio=0.5/DEFAULT_CONFIG]"
                        + " min.compaction.lag.ms=0/DEFAULT_CONFIG[log.cleaner.min.compaction.lag.ms=0/DEFAULT_CONFIG]"
                        + " max.compaction.lag.ms=9223372036854775807/DEFAULT_CONFIG"
                        + "[log.cleaner.max.compaction.lag.ms=9223372036854775807/DEFAULT_CONFIG]",
                (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, new NewTopic("compacted-configs", 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.1")));
            return synonyms(describeTopicConfigWithSynonyms(admin, "compacted-configs"), "cleanup.policy",
                    "delete.retention.ms", "min.cleanable.dirty.ratio", "min.compaction.lag.ms",
                    "max.compaction.lag.ms").trim();
        }));
    }

    /**
     * A share group's configs with synonyms: a set one lists its group value, then the default it would fall
     * back to, named by the broker key where Kafka has one (what {@code kafka-configs --describe --entity-type
     * groups} prints).
     */
    @Test
    @Timeout(60)
    void describeGroupConfigsWithSynonyms() {
        differential("ok share.record.lock.duration.ms=20000/DYNAMIC_GROUP_CONFIG"
                        + "[share.record.lock.duration.ms=20000/DYNAMIC_GROUP_CONFIG,"
                        + "group.share.record.lock.duration.ms=30000/DEFAULT_CONFIG]"
                        + " share.auto.offset.reset=earliest/DYNAMIC_GROUP_CONFIG"
                        + "[share.auto.offset.reset=earliest/DYNAMIC_GROUP_CONFIG,share.auto.offset.reset=latest/DEFAULT_CONFIG]"
                        + " share.delivery.count.limit=5/DEFAULT_CONFIG[group.share.delivery.count.limit=5/DEFAULT_CONFIG]",
                (b, admin) -> Outcome.of(() -> {
                    ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "synonyms-group");
                    admin.incrementalAlterConfigs(Map.of(group, List.of(
                            new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", "20000"),
                                    AlterConfigOp.OpType.SET),
                            new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                                    AlterConfigOp.OpType.SET)))).all().get();
                    // Kafka's broker learns of the group config a moment after its controller answered.
                    DescribeConfigsOptions withSynonyms = new DescribeConfigsOptions().includeSynonyms(true);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    Config config = admin.describeConfigs(List.of(group), withSynonyms).all().get().get(group);
                    while (!"earliest".equals(config.get("share.auto.offset.reset").value())
                            && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                        config = admin.describeConfigs(List.of(group), withSynonyms).all().get().get(group);
                    }
                    return synonyms(config, "share.record.lock.duration.ms", "share.auto.offset.reset",
                            "share.delivery.count.limit").trim();
                }));
    }

    @Test
    @Timeout(60)
    void describeBrokerConfigSources() {
        differential("ok log.segment.bytes=104857600/STATIC_BROKER_CONFIG num.partitions=1/STATIC_BROKER_CONFIG",
                (b, admin) -> Outcome.of(() -> brokerSources(admin, "log.segment.bytes", "num.partitions")));
    }

    @Test
    @Timeout(60)
    void describeBrokerConfigDefaultSource() {
        differential("ok log.retention.hours=168/DEFAULT_CONFIG",
                (b, admin) -> Outcome.of(() -> brokerSources(admin, "log.retention.hours")));
    }

    @Test
    @Timeout(60)
    void incrementalAlterConfigsWithUnparsableValue() {
        differential("error InvalidConfigurationException", (b, admin) -> Outcome.of(() -> {
            create(admin, "alter-bad", 1);
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "alter-bad");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", "abc"), AlterConfigOp.OpType.SET);
            return admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
        }));
    }

    @Test
    @Timeout(60)
    void incrementalAlterConfigsOfUnknownTopic() {
        differential("error UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() -> {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "never-created");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET);
            return admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
        }));
    }

    @Test
    @Timeout(60)
    void incrementalAlterConfigsAppendToNonListConfig() {
        differential("error InvalidConfigurationException", (b, admin) -> Outcome.of(() -> {
            create(admin, "append-scalar", 1);
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "append-scalar");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.APPEND);
            return admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
        }));
    }

    @Test
    @Timeout(60)
    void incrementalAlterConfigsValidateOnlyChangesNothing() {
        differential("ok retention.ms=604800000/DEFAULT_CONFIG", (b, admin) -> Outcome.of(() -> {
            create(admin, "alter-validate", 1);
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "alter-validate");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(op)), new AlterConfigsOptions().validateOnly(true))
                    .all().get();
            return sources(describeTopicConfig(admin, "alter-validate"), "retention.ms").trim();
        }));
    }

    @Test
    @Timeout(60)
    void incrementalAlterConfigsDeleteRestoresDefault() {
        differential("ok retention.ms=604800000/DEFAULT_CONFIG", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, new NewTopic("alter-delete", 1, (short) 1)
                    .configs(Map.of("retention.ms", "12345")));
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "alter-delete");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
            // Kafka's controller has committed the change when it answers, but the broker serving DescribeConfigs
            // applies it a moment later: read until the override is gone or 10 s have passed.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            ConfigEntry entry = admin.describeConfigs(List.of(topic)).all().get().get(topic).get("retention.ms");
            while (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && System.nanoTime() < deadline) {
                Thread.sleep(20);
                entry = admin.describeConfigs(List.of(topic)).all().get().get(topic).get("retention.ms");
            }
            return "retention.ms=" + entry.value() + "/" + entry.source();
        }));
    }

    private static void differential(String expected, Differential.Scenario scenario) {
        Differential.assertSameAs(expected, brokers, admins, scenario);
    }

    private static void create(Admin admin, String topic, int partitions) throws Exception {
        Differential.createTopic(admin, topic, partitions);
    }

    /** Creates a one-partition topic with the single {@code key=value} {@code setting}. */
    private static String createWith(Admin admin, String setting) throws Exception {
        String[] kv = setting.split("=", 2);
        String topic = "common-" + kv[0].replace('.', '-') + "-" + kv[1].replaceAll("[^A-Za-z0-9._-]", "-");
        Differential.createTopic(admin, new NewTopic(topic, 1, (short) 1).configs(Map.of(kv[0], kv[1])));
        return "created";
    }

    /** Creates {@code topic} with three partitions and the override retention.ms=12345. */
    private static CreateTopicsResult createWithRetention(Admin admin, String topic) throws Exception {
        return Differential.createTopic(admin, new NewTopic(topic, 3, (short) 1)
                .configs(Map.of("retention.ms", "12345")));
    }

    private static Config describeTopicConfig(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    private static Config describeTopicConfigWithSynonyms(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
                .all().get().get(resource);
    }

    /** {@code " key=value/SOURCE[name=value/SOURCE,...]"} for each of {@code keys}, synonyms in Kafka's order. */
    private static String synonyms(Config config, String... keys) {
        StringBuilder text = new StringBuilder();
        for (String key : keys) {
            ConfigEntry entry = config.get(key);
            text.append(' ').append(key).append('=');
            if (entry == null) {
                text.append("absent");
                continue;
            }
            text.append(entry.value()).append('/').append(entry.source()).append(entry.synonyms().stream()
                    .map(s -> s.name() + "=" + s.value() + "/" + s.source())
                    .collect(Collectors.joining(",", "[", "]")));
        }
        return text.toString();
    }

    @Test
    @Timeout(60)
    void listConfigResourcesByType() {
        differential("ok groups=[lcr-group] brokers=[self] topic=true clientMetrics=[] unknownType=35",
                (b, admin) -> Outcome.of(() -> {
                    Differential.createTopic(admin, "lcr-topic", 1);
                    ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "lcr-group");
                    admin.incrementalAlterConfigs(Map.of(group, List.of(new AlterConfigOp(
                            new ConfigEntry("share.record.lock.duration.ms", "30000"), AlterConfigOp.OpType.SET))))
                            .all().get();
                    // Kafka's broker learns of the group config a moment after its controller answered.
                    List<String> groups = List.of();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (groups.isEmpty() && System.nanoTime() < deadline) {
                        groups = names(admin, ConfigResource.Type.GROUP).stream().filter(n -> n.startsWith("lcr-"))
                                .toList();
                        if (groups.isEmpty()) {
                            Thread.sleep(100);
                        }
                    }
                    String self = admin.describeCluster().nodes().get().iterator().next().idString();
                    List<String> brokerNames = names(admin, ConfigResource.Type.BROKER).stream()
                            .map(n -> n.equals(self) ? "self" : n).toList();
                    var unknownType = (org.apache.kafka.common.message.ListConfigResourcesResponseData) RawRequest.call(b,
                            org.apache.kafka.common.protocol.ApiKeys.LIST_CONFIG_RESOURCES, (short) 1,
                            new org.apache.kafka.common.message.ListConfigResourcesRequestData()
                                    .setResourceTypes(List.of((byte) 3)));
                    return "groups=" + groups + " brokers=" + brokerNames
                            + " topic=" + names(admin, ConfigResource.Type.TOPIC).contains("lcr-topic")
                            + " clientMetrics=" + names(admin, ConfigResource.Type.CLIENT_METRICS)
                            + " unknownType=" + unknownType.errorCode();
                }));
    }

    /** The names of the config resources of {@code type}, sorted. */
    private static List<String> names(Admin admin, ConfigResource.Type type) throws Exception {
        return admin.listConfigResources(java.util.Set.of(type), new org.apache.kafka.clients.admin.ListConfigResourcesOptions())
                .all().get().stream().map(ConfigResource::name).sorted().toList();
    }

    /** {@code key=value/SOURCE} of the only broker's {@code keys}, its id taken from describeCluster. */
    private static String brokerSources(Admin admin, String... keys) throws Exception {
        String id = admin.describeCluster().nodes().get().iterator().next().idString();
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, id);
        return sources(admin.describeConfigs(List.of(broker)).all().get().get(broker), keys).trim();
    }

    /** {@code " key=value/SOURCE"} for each of {@code keys}. */
    private static String sources(Config config, String... keys) {
        StringBuilder text = new StringBuilder();
        for (String key : keys) {
            ConfigEntry entry = config.get(key);
            text.append(' ').append(key).append('=')
                    .append(entry == null ? "absent" : entry.value() + "/" + entry.source());
        }
        return text.toString();
    }
}
