package io.tributary.kafka;

import io.tributary.delivery.share.ShareConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Unmodified kafka-clients 4.4 {@link KafkaShareConsumer}s against a broker whose share partitions start at
 * the log start (so records produced before a consumer joins are delivered), with a 3 s lock and a
 * delivery limit of 3. Each test has its own topic and group.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShareGroupsIT {
    private static final int LOCK_MS = 3_000;
    private static final int DELIVERY_LIMIT = 3;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long DEADLINE_MS = 60_000;

    @TempDir
    static Path dir;
    static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(dir, ShareConfig.defaults().withRecordLockDurationMs(LOCK_MS)
                .withDeliveryCountLimit(DELIVERY_LIMIT).withAutoOffsetReset(ShareConfig.OffsetReset.EARLIEST));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void competingConsumersMoreThanPartitionsGetEveryRecordExactlyOnce() throws Exception {
        // Given 300 records in a topic of 2 partitions
        createTopic("competing", 2);
        produce("competing", 0, 300);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger total = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(3);

        // When three consumers of one share group (implicit acknowledgement) poll until all arrived
        List<Future<Integer>> counts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            counts.add(threads.submit(() -> {
                int mine = 0;
                try (KafkaShareConsumer<String, String> consumer = consumer("competing-group", "implicit")) {
                    consumer.subscribe(List.of("competing"));
                    long deadline = System.currentTimeMillis() + DEADLINE_MS;
                    while (!done.get() && System.currentTimeMillis() < deadline) {
                        for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                            seen.merge(record.value(), 1, Integer::sum);
                            mine++;
                            if (total.incrementAndGet() >= 300) {
                                done.set(true);
                            }
                        }
                    }
                    // Implicit mode accepts a poll's records at the next poll or commit; close() alone
                    // would release the last poll's records to the others.
                    consumer.commitSync(Duration.ofSeconds(30));
                }
                return mine;
            }));
        }
        int sum = 0;
        for (Future<Integer> count : counts) {
            sum += count.get(DEADLINE_MS + 30_000, TimeUnit.MILLISECONDS);
        }
        threads.shutdown();

        // Then each record came exactly once over all of them
        assertThat(seen).hasSize(300);
        assertThat(seen.values()).allMatch(n -> n == 1);
        assertThat(sum).isEqualTo(300);
    }

    @Test
    void releasedRecordsComeBackWithDeliveryCountTwo() throws Exception {
        createTopic("release", 1);
        produce("release", 0, 5);
        try (KafkaShareConsumer<String, String> consumer = consumer("release-group", "explicit")) {
            consumer.subscribe(List.of("release"));
            List<ConsumerRecord<String, String>> first = pollUntil(consumer, records -> records.size() >= 5);
            assertThat(first).allMatch(r -> r.deliveryCount().orElseThrow() == 1);

            // When every record is released
            first.forEach(r -> consumer.acknowledge(r, AcknowledgeType.RELEASE));
            consumer.commitSync(Duration.ofSeconds(30));

            // Then they come back, with delivery count 2
            List<ConsumerRecord<String, String>> again = pollUntil(consumer, records -> records.size() >= 5);
            assertThat(again).extracting(ConsumerRecord::value)
                    .containsExactlyElementsOf(first.stream().map(ConsumerRecord::value).toList());
            assertThat(again).allMatch(r -> r.deliveryCount().orElseThrow() == 2);
            again.forEach(r -> consumer.acknowledge(r, AcknowledgeType.ACCEPT));
            consumer.commitSync(Duration.ofSeconds(30));
        }
    }

    @Test
    void rejectedRecordsAreNeverDeliveredAgain() throws Exception {
        createTopic("reject", 1);
        produce("reject", 0, 3);
        try (KafkaShareConsumer<String, String> consumer = consumer("reject-group", "explicit")) {
            consumer.subscribe(List.of("reject"));
            List<ConsumerRecord<String, String>> first = pollUntil(consumer, records -> records.size() >= 3);

            // When they are rejected, and a marker record is produced afterwards
            first.forEach(r -> consumer.acknowledge(r, AcknowledgeType.REJECT));
            consumer.commitSync(Duration.ofSeconds(30));
            produce("reject", 100, 1);

            // Then only the marker arrives
            List<ConsumerRecord<String, String>> next = pollUntil(consumer,
                    records -> records.stream().anyMatch(r -> r.value().equals("v100")));
            assertThat(next).extracting(ConsumerRecord::value).containsExactly("v100");
            next.forEach(consumer::acknowledge);
            consumer.commitSync(Duration.ofSeconds(30));
        }
    }

    @Test
    void anExpiredLockHandsTheRecordsToAnotherMember() throws Exception {
        createTopic("expiry", 1);
        produce("expiry", 0, 4);
        try (KafkaShareConsumer<String, String> holder = consumer("expiry-group", "explicit");
             KafkaShareConsumer<String, String> other = consumer("expiry-group", "explicit")) {
            // Given one member that acquired every record and then does nothing
            holder.subscribe(List.of("expiry"));
            List<ConsumerRecord<String, String>> held = pollUntil(holder, records -> records.size() >= 4);

            // When its locks expire, the other member gets them, redelivered
            other.subscribe(List.of("expiry"));
            List<ConsumerRecord<String, String>> taken = pollUntil(other, records -> records.size() >= 4);

            assertThat(taken).extracting(ConsumerRecord::value)
                    .containsExactlyElementsOf(held.stream().map(ConsumerRecord::value).toList());
            // (at least their second: the idle holder's client may have a ShareFetch parked at the broker when the
            // locks first expire, which takes them once more before they expire again and reach the other member)
            assertThat(taken).allMatch(r -> r.deliveryCount().orElseThrow() >= 2);
            taken.forEach(other::acknowledge);
            other.commitSync(Duration.ofSeconds(30));
        }
    }

    @Test
    void renewKeepsARecordFromAnotherMemberPastItsLockUntilItIsAccepted() throws Exception {
        createTopic("renew", 1);
        produce("renew", 0, 1);
        try (KafkaShareConsumer<String, String> holder = consumer("renew-group", "explicit");
             KafkaShareConsumer<String, String> other = consumer("renew-group", "explicit")) {
            // Given one member holding the record
            holder.subscribe(List.of("renew"));
            ConsumerRecord<String, String> record = pollUntil(holder, records -> !records.isEmpty()).get(0);
            other.subscribe(List.of("renew"));

            // When it renews the lock (KIP-1222) every third of the lock duration for three lock durations
            long until = System.currentTimeMillis() + 3L * LOCK_MS;
            List<ConsumerRecord<String, String>> taken = new ArrayList<>();
            while (System.currentTimeMillis() < until) {
                holder.acknowledge(record, AcknowledgeType.RENEW);
                assertThat(holder.commitSync(Duration.ofSeconds(30)).values()).allMatch(Optional::isEmpty);
                // (kafka-clients puts a renewed record back in flight at the next poll; nothing new comes)
                assertThat(holder.poll(POLL)).allMatch(r -> r.offset() == record.offset());
                long next = System.currentTimeMillis() + LOCK_MS / 3;
                while (System.currentTimeMillis() < next) {
                    other.poll(POLL).forEach(taken::add);
                }
            }

            // Then the other member got nothing, and the holder still accepts it
            assertThat(taken).isEmpty();
            holder.acknowledge(record, AcknowledgeType.ACCEPT);
            assertThat(holder.commitSync(Duration.ofSeconds(30)).values()).allMatch(Optional::isEmpty);
            assertThat(other.poll(Duration.ofMillis(LOCK_MS + 1_000)).isEmpty()).isTrue();
        }
    }

    @Test
    void aRecordPastTheDeliveryLimitIsArchived() throws Exception {
        createTopic("limit", 1);
        produce("limit", 0, 1);
        try (KafkaShareConsumer<String, String> consumer = consumer("limit-group", "explicit")) {
            consumer.subscribe(List.of("limit"));
            // Given the record released as often as the limit allows
            for (int delivery = 1; delivery <= DELIVERY_LIMIT; delivery++) {
                List<ConsumerRecord<String, String>> records = pollUntil(consumer, r -> !r.isEmpty());
                assertThat(records).singleElement()
                        .satisfies(r -> assertThat(r.value()).isEqualTo("v0"));
                assertThat(records.get(0).deliveryCount()).contains((short) delivery);
                consumer.acknowledge(records.get(0), AcknowledgeType.RELEASE);
                consumer.commitSync(Duration.ofSeconds(30));
            }

            // When a marker is produced, only the marker comes
            produce("limit", 100, 1);
            List<ConsumerRecord<String, String>> next = pollUntil(consumer,
                    records -> records.stream().anyMatch(r -> r.value().equals("v100")));
            assertThat(next).extracting(ConsumerRecord::value).containsExactly("v100");
            next.forEach(consumer::acknowledge);
            consumer.commitSync(Duration.ofSeconds(30));
        }
    }

    @Test
    void rejectedAndOverLimitRecordsGoToTheGroupsDeadLetterTopicWithKafkasHeaders() throws Exception {
        // Given a group whose dead-letter topic (KIP-1191) exists, is enabled for it and gets copies of the records
        createTopic("dead", 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("dlq.dead", 1, (short) 1)
                    .configs(Map.of("errors.deadletterqueue.group.enable", "true")))).all().get(30, TimeUnit.SECONDS);
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "dead-group");
            admin.incrementalAlterConfigs(Map.of(group, List.of(
                    new AlterConfigOp(new ConfigEntry("errors.deadletterqueue.topic.name", "dlq.dead"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("errors.deadletterqueue.copy.record.enable", "true"),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                    .get("errors.deadletterqueue.topic.name").value()).isEqualTo("dlq.dead");
        }
        produce("dead", 0, 2);
        try (KafkaShareConsumer<String, String> consumer = consumer("dead-group", "explicit")) {
            consumer.subscribe(List.of("dead"));
            // When v0 is rejected and v1 released as often as the delivery limit allows
            List<ConsumerRecord<String, String>> first = pollUntil(consumer, records -> records.size() >= 2);
            consumer.acknowledge(first.get(0), AcknowledgeType.REJECT);
            consumer.acknowledge(first.get(1), AcknowledgeType.RELEASE);
            consumer.commitSync(Duration.ofSeconds(30));
            for (int delivery = 2; delivery <= DELIVERY_LIMIT; delivery++) {
                ConsumerRecord<String, String> again = pollUntil(consumer, r -> !r.isEmpty()).get(0);
                assertThat(again.value()).isEqualTo("v1");
                consumer.acknowledge(again, AcknowledgeType.RELEASE);
                consumer.commitSync(Duration.ofSeconds(30));
            }
        }

        // Then the dead-letter topic has one record for each, with the key, value and Kafka's __dlq.errors.* headers
        try (KafkaConsumer<String, String> reader = plainConsumer("dead-reader", GroupProtocol.CONSUMER)) {
            TopicPartition dlq = new TopicPartition("dlq.dead", 0);
            reader.assign(List.of(dlq));
            reader.seekToBeginning(List.of(dlq));
            List<ConsumerRecord<String, String>> letters = new ArrayList<>();
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (letters.size() < 2) {
                assertThat(System.currentTimeMillis()).as("dead letters, got %s", letters).isLessThan(deadline);
                reader.poll(POLL).forEach(letters::add);
            }
            assertThat(letters).extracting(ConsumerRecord::key).containsExactly("k0", "k1");
            assertThat(letters).extracting(ConsumerRecord::value).containsExactly("v0", "v1");
            assertThat(headers(letters.get(0))).containsExactly(Map.entry("__dlq.errors.topic", "dead"),
                    Map.entry("__dlq.errors.partition", "0"), Map.entry("__dlq.errors.offset", "0"),
                    Map.entry("__dlq.errors.group", "dead-group"), Map.entry("__dlq.errors.delivery.count", "1"),
                    Map.entry("__dlq.errors.message", "Offset rejected by client."));
            assertThat(headers(letters.get(1))).containsEntry("__dlq.errors.offset", "1")
                    .containsEntry("__dlq.errors.delivery.count", Integer.toString(DELIVERY_LIMIT))
                    .containsEntry("__dlq.errors.message", "Offset delivery count exceeded the threshold.");
        }
    }

    @Test
    void recordLimitModeAcquiresAtMostMaxPollRecordsOfABatch() throws Exception {
        // Given ten records in one batch
        createTopic("limit-mode", 1);
        Map<String, Object> producerProps = new HashMap<>();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "60000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("limit-mode", "k" + i, "v" + i));
            }
            producer.flush();
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "limit-mode-group");
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "3");
        try (KafkaShareConsumer<String, String> limited = new KafkaShareConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
             KafkaShareConsumer<String, String> other = consumer("limit-mode-group", "implicit")) {
            // When a record_limit member with max.poll.records=3 polls, and holds what it got
            limited.subscribe(List.of("limit-mode"));
            List<ConsumerRecord<String, String>> held = pollUntil(limited, r -> !r.isEmpty());

            // Then it got exactly 3, and the batch's other records are not locked to it: another member gets some
            // of them on their first delivery, long before the 3 s lock could expire
            other.subscribe(List.of("limit-mode"));
            List<ConsumerRecord<String, String>> rest = pollUntil(other, r -> !r.isEmpty());
            assertThat(held).extracting(ConsumerRecord::value).containsExactly("v0", "v1", "v2");
            assertThat(rest).allSatisfy(r -> {
                assertThat(r.deliveryCount()).contains((short) 1);
                assertThat(r.offset()).isBetween(3L, 9L);
            });
            held.forEach(limited::acknowledge);
            limited.commitSync(Duration.ofSeconds(30));
        }
    }

    @Test
    void batchOptimizedModeAcquiresToTheEndOfTheBatchPastMaxPollRecords() throws Exception {
        // Given ten records in one batch
        createTopic("batch-mode", 1);
        Map<String, Object> producerProps = new HashMap<>();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "60000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("batch-mode", "k" + i, "v" + i));
            }
            producer.flush();
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "batch-mode-group");
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "batch_optimized");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "3");
        try (KafkaShareConsumer<String, String> member = new KafkaShareConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            // When a batch_optimized member with max.poll.records=3 polls
            member.subscribe(List.of("batch-mode"));
            List<ConsumerRecord<String, String>> got = pollUntil(member, r -> !r.isEmpty());

            // Then it got the whole batch at once, as Kafka 4.4 hands it (20 records of two 10-record batches to a
            // max.poll.records=15 consumer)
            assertThat(got).extracting(ConsumerRecord::value)
                    .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
            got.forEach(member::acknowledge);
            member.commitSync(Duration.ofSeconds(30));
        }
    }

    private static Map<String, String> headers(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        record.headers().forEach(h -> headers.put(h.key(), new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
        return headers;
    }

    @Test
    void closingAConsumerReleasesItsRecordsAtOnce() throws Exception {
        createTopic("close", 1);
        produce("close", 0, 3);
        List<ConsumerRecord<String, String>> held;
        try (KafkaShareConsumer<String, String> first = consumer("close-group", "explicit")) {
            first.subscribe(List.of("close"));
            held = pollUntil(first, records -> records.size() >= 3);
            // When it closes without acknowledging
        }
        try (KafkaShareConsumer<String, String> second = consumer("close-group", "explicit")) {
            second.subscribe(List.of("close"));
            List<ConsumerRecord<String, String>> taken = pollUntil(second, records -> records.size() >= 3);

            // Then another member gets them, redelivered
            assertThat(taken).extracting(ConsumerRecord::value)
                    .containsExactlyElementsOf(held.stream().map(ConsumerRecord::value).toList());
            // (at least their second: the idle holder's client may have a ShareFetch parked at the broker when the
            // locks first expire, which takes them once more before they expire again and reach the other member)
            assertThat(taken).allMatch(r -> r.deliveryCount().orElseThrow() >= 2);
            taken.forEach(second::acknowledge);
            second.commitSync(Duration.ofSeconds(30));
        }
    }

    @Test
    void adminDescribesAndListsAShareGroupAndItsStartOffsets() throws Exception {
        // Given a member that accepted the first 4 of 10 records and holds the rest
        createTopic("admin-describe", 1);
        produce("admin-describe", 0, 10);
        try (KafkaShareConsumer<String, String> consumer = consumer("admin-describe-group", "explicit");
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            consumer.subscribe(List.of("admin-describe"));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, r -> r.size() >= 10);
            for (int i = 0; i < records.size(); i++) {
                consumer.acknowledge(records.get(i), i < 4 ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
            }
            consumer.commitSync(Duration.ofSeconds(30));

            // When an admin lists, describes and reads its offsets
            var listed = admin.listGroups(ListGroupsOptions.forShareGroups()).all().get(30, TimeUnit.SECONDS);
            ShareGroupDescription description = admin.describeShareGroups(List.of("admin-describe-group"))
                    .describedGroups().get("admin-describe-group").get(30, TimeUnit.SECONDS);
            var offsets = admin.listShareGroupOffsets(Map.of("admin-describe-group", new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo("admin-describe-group").get(30, TimeUnit.SECONDS);

            // Then it is a stable share group of one member owning the partition, started at offset 4, lag 6
            assertThat(listed).anyMatch(g -> g.groupId().equals("admin-describe-group")
                    && g.type().equals(Optional.of(GroupType.SHARE)));
            assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(description.members()).singleElement().satisfies(m -> assertThat(m.assignment().topicPartitions())
                    .containsExactly(new TopicPartition("admin-describe", 0)));
            SharePartitionOffsetInfo info = offsets.get(new TopicPartition("admin-describe", 0));
            assertThat(info.startOffset()).isEqualTo(4);
            assertThat(info.lag()).contains(6L);
        }
    }

    @Test
    void adminMovesTheStartOfAnEmptyGroupAndDeletesIt() throws Exception {
        createTopic("admin-alter", 1);
        produce("admin-alter", 0, 10);
        TopicPartition tp = new TopicPartition("admin-alter", 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            // Given a group that consumed nothing yet, its start moved to 8
            admin.alterShareGroupOffsets("admin-alter-group", Map.of(tp, 8L)).all().get(30, TimeUnit.SECONDS);

            // When a member joins, it gets only offsets 8 and 9
            try (KafkaShareConsumer<String, String> consumer = consumer("admin-alter-group", "explicit")) {
                consumer.subscribe(List.of("admin-alter"));
                List<ConsumerRecord<String, String>> records = pollUntil(consumer, r -> r.size() >= 2);
                assertThat(records).extracting(ConsumerRecord::offset).containsExactly(8L, 9L);
                records.forEach(consumer::acknowledge);
                consumer.commitSync(Duration.ofSeconds(30));

                // and altering or deleting while it is there is refused
                assertThatThrownBy(() -> admin.deleteShareGroups(List.of("admin-alter-group")).all()
                        .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(GroupNotEmptyException.class);
            }

            // Then, once it left, the group can be deleted, and is gone
            admin.deleteShareGroups(List.of("admin-alter-group")).all().get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> admin.describeShareGroups(List.of("admin-alter-group")).describedGroups()
                    .get("admin-alter-group").get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(GroupIdNotFoundException.class);
        }
    }

    @Test
    void aConsumerGroupsIdCannotBeAShareGroupAndAShareGroupsIdCannotBeAConsumerOrClassicGroup() throws Exception {
        createTopic("typed", 1);
        try (KafkaConsumer<String, String> plain = plainConsumer("typed-consumer-group", GroupProtocol.CONSUMER);
             KafkaShareConsumer<String, String> share = consumer("typed-consumer-group", "implicit")) {
            // Given a consumer group with a member
            plain.subscribe(List.of("typed"));
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (plain.assignment().isEmpty()) {
                assertThat(System.currentTimeMillis()).as("assignment in time").isLessThan(deadline);
                plain.poll(POLL);
            }

            // When a share consumer uses its id or an admin describes it as a share group, then both are refused
            // as Kafka refuses them (and an unknown id is "not found")
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                assertThatThrownBy(() -> admin.describeShareGroups(List.of("typed-consumer-group")).describedGroups()
                        .get("typed-consumer-group").get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(GroupIdNotFoundException.class)
                        .hasMessageContaining("Group typed-consumer-group is not a share group.");
                assertThatThrownBy(() -> admin.describeShareGroups(List.of("typed-nobody")).describedGroups()
                        .get("typed-nobody").get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(GroupIdNotFoundException.class)
                        .hasMessageContaining("Group typed-nobody not found.");
                TopicPartition tp = new TopicPartition("typed", 0);
                assertThatThrownBy(() -> admin.alterShareGroupOffsets("typed-consumer-group", Map.of(tp, 0L))
                        .partitionResult(tp).get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(GroupIdNotFoundException.class)
                        .hasMessageContaining("Group typed-consumer-group is not a share group.");
                assertThatThrownBy(() -> admin.deleteShareGroupOffsets("typed-consumer-group", java.util.Set.of("typed"))
                        .all().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(GroupIdNotFoundException.class)
                        .hasMessageContaining("Group typed-consumer-group is not a share group.");
            }
            share.subscribe(List.of("typed"));
            assertThatThrownBy(() -> pollUntilThrown(share::poll)).isInstanceOf(GroupIdNotFoundException.class)
                    .hasMessageContaining("Group typed-consumer-group is not a share group.");
        }

        try (KafkaShareConsumer<String, String> share = consumer("typed-share-group", "implicit");
             KafkaConsumer<String, String> modern = plainConsumer("typed-share-group", GroupProtocol.CONSUMER);
             KafkaConsumer<String, String> classic = plainConsumer("typed-share-group", GroupProtocol.CLASSIC);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            // Given a share group with a member
            share.subscribe(List.of("typed"));
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            do {
                assertThat(System.currentTimeMillis()).as("share member in time").isLessThan(deadline);
                share.poll(POLL);
            } while (!hasMembers(admin, "typed-share-group"));

            // When consumers of either protocol use its id, then they are refused as Kafka refuses them
            modern.subscribe(List.of("typed"));
            assertThatThrownBy(() -> pollUntilThrown(modern::poll)).isInstanceOf(GroupIdNotFoundException.class)
                    .hasMessageContaining("Group typed-share-group is not a consumer group.");
            classic.subscribe(List.of("typed"));
            assertThatThrownBy(() -> pollUntilThrown(classic::poll))
                    .isInstanceOf(InconsistentGroupProtocolException.class);
        }
    }

    private static boolean hasMembers(Admin admin, String shareGroup) throws Exception {
        try {
            return !admin.describeShareGroups(List.of(shareGroup)).describedGroups().get(shareGroup)
                    .get(30, TimeUnit.SECONDS).members().isEmpty();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    /** Polls until the poll throws (which this rethrows), failing after the deadline. */
    private static void pollUntilThrown(java.util.function.Consumer<Duration> poll) {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (System.currentTimeMillis() < deadline) {
            poll.accept(POLL);
        }
        throw new AssertionError("no error within " + DEADLINE_MS + " ms");
    }

    private static KafkaConsumer<String, String> plainConsumer(String group, GroupProtocol protocol) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol.name().toLowerCase(java.util.Locale.ROOT));
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaShareConsumer<String, String> consumer,
                                                                  Predicate<List<ConsumerRecord<String, String>>> enough) {
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!enough.test(got)) {
            assertThat(System.currentTimeMillis()).as("records in time, got %s", got).isLessThan(deadline);
            ConsumerRecords<String, String> records = consumer.poll(POLL);
            records.forEach(got::add);
        }
        return got;
    }

    private static KafkaShareConsumer<String, String> consumer(String group, String ackMode) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, ackMode);
        return new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(String topic, int from, int count) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }
}
