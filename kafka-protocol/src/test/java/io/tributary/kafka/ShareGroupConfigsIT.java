package io.tributary.kafka;

import io.tributary.delivery.share.ShareBounds;
import io.tributary.delivery.share.ShareConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Share-group configs through kafka-clients' Admin (GROUP config resources) on a broker with Kafka's defaults. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShareGroupConfigsIT {
    private static final ConfigResource GROUP = new ConfigResource(ConfigResource.Type.GROUP, "configured-group");

    @TempDir
    Path dir;

    @Test
    void earliestSetForAGroupDeliversWhatWasProducedBeforeItJoinedAndSurvivesARestart() throws Exception {
        try (TestBroker broker = TestBroker.start(dir);
             Admin admin = admin(broker)) {
            // Given a group whose configs are all defaults
            Config before = admin.describeConfigs(List.of(GROUP)).all().get(30, TimeUnit.SECONDS).get(GROUP);
            assertThat(before.get("share.auto.offset.reset").value()).isEqualTo("latest");
            assertThat(before.get("share.auto.offset.reset").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(before.get("share.record.lock.duration.ms").value()).isEqualTo("30000");
            assertThat(before.get("share.delivery.count.limit").value()).isEqualTo("5");

            // When it sets share.auto.offset.reset=earliest, and 3 records were produced before anyone joined
            admin.incrementalAlterConfigs(Map.of(GROUP, List.of(new AlterConfigOp(
                    new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            admin.createTopics(List.of(new NewTopic("configured", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            produce(broker, "configured", 3);

            // Then a member gets those 3, and the config is reported as the group's
            try (KafkaShareConsumer<String, String> consumer = consumer(broker)) {
                consumer.subscribe(List.of("configured"));
                List<ConsumerRecord<String, String>> got = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 60_000;
                while (got.size() < 3) {
                    assertThat(System.currentTimeMillis()).as("records before joining, got %s", got).isLessThan(deadline);
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
                assertThat(got).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
                consumer.commitSync(Duration.ofSeconds(30));
            }
            ConfigEntry set = admin.describeConfigs(List.of(GROUP)).all().get(30, TimeUnit.SECONDS).get(GROUP)
                    .get("share.auto.offset.reset");
            assertThat(set.value()).isEqualTo("earliest");
            assertThat(set.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
        }

        // And after a restart the group still has it
        try (TestBroker broker = TestBroker.start(dir);
             Admin admin = admin(broker)) {
            assertThat(admin.describeConfigs(List.of(GROUP)).all().get(30, TimeUnit.SECONDS).get(GROUP)
                    .get("share.auto.offset.reset").value()).isEqualTo("earliest");
        }
    }

    @Test
    void valuesOutOfRangeAndUnknownNamesAreRefused() throws Exception {
        try (TestBroker broker = TestBroker.start(dir);
             Admin admin = admin(broker)) {
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(GROUP, List.of(new AlterConfigOp(
                    new ConfigEntry("share.delivery.count.limit", "11"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(InvalidConfigurationException.class);
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(GROUP, List.of(new AlterConfigOp(
                    new ConfigEntry("share.no.such.config", "1"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(InvalidConfigurationException.class);

            assertThat(admin.describeConfigs(List.of(GROUP)).all().get(30, TimeUnit.SECONDS).get(GROUP)
                    .get("share.delivery.count.limit").value()).isEqualTo("5");
        }
    }

    @Test
    void kafkasNineShareConfigsAreDescribedBoundedAndRenewCanBeSwitchedOff() throws Exception {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "renew-off");
        try (TestBroker broker = TestBroker.start(dir);
             Admin admin = admin(broker)) {
            // Given Kafka 4.4's share configs with their defaults
            Config before = admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
            assertThat(before.entries()).filteredOn(e -> e.name().startsWith("share."))
                    .extracting(e -> e.name() + "=" + e.value())
                    .containsExactlyInAnyOrder("share.auto.offset.reset=latest", "share.record.lock.duration.ms=30000",
                            "share.delivery.count.limit=5", "share.isolation.level=read_uncommitted",
                            "share.heartbeat.interval.ms=5000", "share.session.timeout.ms=45000",
                            "share.partition.max.record.locks=2000", "share.assignment.interval.ms=1000",
                            "share.renew.acknowledge.enable=true");

            // When values outside Kafka's broker bounds are set, they are refused; values inside are taken
            for (Map.Entry<String, String> bad : List.of(Map.entry("share.heartbeat.interval.ms", "4999"),
                    Map.entry("share.session.timeout.ms", "60001"), Map.entry("share.partition.max.record.locks", "99"),
                    Map.entry("share.assignment.interval.ms", "15001"), Map.entry("share.renew.acknowledge.enable", "no"))) {
                assertThatThrownBy(() -> alter(admin, group, bad.getKey(), bad.getValue()))
                        .as(bad.toString()).hasCauseInstanceOf(InvalidConfigurationException.class);
            }
            admin.incrementalAlterConfigs(Map.of(group, List.of(
                    new AlterConfigOp(new ConfigEntry("share.heartbeat.interval.ms", "15000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("share.session.timeout.ms", "50000"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            assertThat(admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                    .get("share.heartbeat.interval.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);

            // And renewing is switched off for the group
            alter(admin, group, "share.renew.acknowledge.enable", "false");
            alter(admin, group, "share.auto.offset.reset", "earliest");
            admin.createTopics(List.of(new NewTopic("renew-off", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            produce(broker, "renew-off", 1);

            // Then a RENEW of an acquired record fails with INVALID_RECORD_STATE
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group.name());
            props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
            try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(props, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("renew-off"));
                ConsumerRecord<String, String> record = null;
                long deadline = System.currentTimeMillis() + 60_000;
                while (record == null) {
                    assertThat(System.currentTimeMillis()).as("a record").isLessThan(deadline);
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        record = r;
                    }
                }
                consumer.acknowledge(record, org.apache.kafka.clients.consumer.AcknowledgeType.RENEW);
                assertThat(consumer.commitSync(Duration.ofSeconds(30)).values())
                        .allSatisfy(result -> assertThat(result).get()
                                .isInstanceOf(org.apache.kafka.common.errors.InvalidRecordStateException.class));
            }
        }
    }

    @Test
    void theBrokersBoundsDecideWhatAGroupMaySetWithKafkasMessages() throws Exception {
        // Given a broker with narrower group.share.min/max bounds than Kafka's defaults (the same ones a real
        // Kafka 4.4 broker was started with to record these messages)
        ShareBounds narrow = new ShareBounds(new ShareBounds.Range(20_000, 50_000), new ShareBounds.Range(3, 8),
                new ShareBounds.Range(46_000, 55_000), new ShareBounds.Range(6_000, 12_000),
                new ShareBounds.Range(200, 3_000), new ShareBounds.Range(0, 15_000));
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "bounded");
        try (TestBroker broker = TestBroker.start(dir, ShareConfig.defaults().withHeartbeatIntervalMs(7_000)
                .withSessionTimeoutMs(50_000).withBounds(narrow));
             Admin admin = admin(broker)) {
            // When values outside the bounds are set, they are refused with Kafka's messages
            Map<String, String> expected = Map.of(
                    "share.record.lock.duration.ms=19999",
                    "share.record.lock.duration.ms must be in the range 20000 to 50000 inclusive.",
                    "share.record.lock.duration.ms=999",
                    "Invalid value 999 for configuration share.record.lock.duration.ms: Value must be at least 1000",
                    "share.delivery.count.limit=9", "share.delivery.count.limit must be in the range 3 to 8 inclusive.",
                    "share.session.timeout.ms=45999",
                    "share.session.timeout.ms must be in the range 46000 to 55000 inclusive.",
                    "share.heartbeat.interval.ms=5999",
                    "share.heartbeat.interval.ms must be in the range 6000 to 12000 inclusive.",
                    "share.partition.max.record.locks=3001",
                    "share.partition.max.record.locks must be in the range 200 to 3000 inclusive.");
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String[] nameValue = e.getKey().split("=");
                assertThatThrownBy(() -> alter(admin, group, nameValue[0], nameValue[1])).as(e.getKey())
                        .hasCauseInstanceOf(InvalidConfigurationException.class)
                        .cause().hasMessage(e.getValue());
            }

            // Then values inside are taken
            alter(admin, group, "share.record.lock.duration.ms", "50000");
            assertThat(admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                    .get("share.record.lock.duration.ms").value()).isEqualTo("50000");
        }
    }

    @Test
    void theLegacyAlterConfigsReplacesAGroupsWholeSetAsKafkaDoes() throws Exception {
        // No Java Admin sends AlterConfigs for groups (kafka-clients 4 dropped alterConfigs, 3.x has no GROUP
        // resource), so the request goes over a raw connection; Kafka 4.4 answers these the same (checked by hand)
        try (TestBroker broker = TestBroker.start(dir);
             RawClient client = new RawClient(broker.port());
             Admin admin = admin(broker)) {
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "legacy-group");
            // Given a group with two configs set
            assertThat(legacyAlter(client, "legacy-group", "share.record.lock.duration.ms", "20000").errorCode())
                    .isZero();
            alter(admin, group, "share.auto.offset.reset", "earliest");

            // When the legacy AlterConfigs sets only one, the other goes back to its default
            assertThat(legacyAlter(client, "legacy-group", "share.auto.offset.reset", "earliest").errorCode())
                    .isZero();
            Config after = admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
            assertThat(after.get("share.record.lock.duration.ms").value()).isEqualTo("30000");
            assertThat(after.get("share.record.lock.duration.ms").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(after.get("share.auto.offset.reset").value()).isEqualTo("earliest");

            // Then refusals carry Kafka's codes and messages
            AlterConfigsResponseData.AlterConfigsResourceResponse unknown =
                    legacyAlter(client, "legacy-group", "bogus.name", "1");
            assertThat(unknown.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
            assertThat(unknown.errorMessage()).isEqualTo("Unknown group config name: bogus.name");
            AlterConfigsResponseData.AlterConfigsResourceResponse small =
                    legacyAlter(client, "legacy-group", "share.record.lock.duration.ms", "5");
            assertThat(small.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
            assertThat(small.errorMessage()).isEqualTo(
                    "Invalid value 5 for configuration share.record.lock.duration.ms: Value must be at least 1000");
            AlterConfigsResponseData.AlterConfigsResourceResponse nullValue =
                    legacyAlter(client, "legacy-group", "share.record.lock.duration.ms", null);
            assertThat(nullValue.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(nullValue.errorMessage()).isEqualTo("Null value not supported for : share.record.lock.duration.ms");
        }
    }

    private static AlterConfigsResponseData.AlterConfigsResourceResponse legacyAlter(RawClient client, String group,
                                                                                    String name, String value)
            throws Exception {
        AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.GROUP.id()).setResourceName(group);
        resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName(name).setValue(value));
        AlterConfigsRequestData request = new AlterConfigsRequestData();
        request.resources().add(resource);
        AlterConfigsResponseData response = (AlterConfigsResponseData) client.call(ApiKeys.ALTER_CONFIGS, (short) 2,
                request);
        return response.responses().get(0);
    }

    private static void alter(Admin admin, ConfigResource group, String name, String value) throws Exception {
        admin.incrementalAlterConfigs(Map.of(group, List.of(new AlterConfigOp(new ConfigEntry(name, value),
                AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    }

    private static Admin admin(TestBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
    }

    private static KafkaShareConsumer<String, String> consumer(TestBroker broker) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP.name());
        return new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static void produce(TestBroker broker, String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }
}
