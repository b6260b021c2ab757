package io.tributary.differential;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer positions, offset resets, committed offsets and group membership: each scenario runs against
 * Kafka and Tributary, and the outcome must be Kafka's expected one on both.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsumerDifferentialIT {
    private static BrokerPair brokers;
    private static Map<String, Admin> admins = Map.of();

    @BeforeAll
    static void startBrokers() throws Exception {
        brokers = BrokerPair.start();
        admins = Differential.admins(brokers);
    }

    @AfterAll
    static void stopBrokers() {
        admins.values().forEach(Admin::close);
        if (brokers != null) {
            brokers.close();
        }
    }

    @Test
    @Timeout(60)
    void autoOffsetResetNoneWithoutCommittedOffset() {
        differential("error NoOffsetForPartitionException", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "reset-none", 1);
            Differential.produce(b, "reset-none", 2);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-reset-none", "none", Map.of())) {
                consumer.subscribe(List.of("reset-none"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int records = 0;
                while (System.nanoTime() < deadline) {
                    records += consumer.poll(Duration.ofMillis(200)).count();
                }
                return "polled " + records + " records without an error";
            }
        }));
    }

    @Test
    @Timeout(60)
    void latestAndEarliestResetPositions() {
        differential("ok latest=5 earliest=0", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "reset-positions", 1);
            Differential.produce(b, "reset-positions", 5);
            TopicPartition tp = new TopicPartition("reset-positions", 0);
            long latest;
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-latest", "latest", Map.of())) {
                consumer.assign(List.of(tp));
                latest = consumer.position(tp, Duration.ofSeconds(10));
            }
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-earliest", "earliest", Map.of())) {
                consumer.assign(List.of(tp));
                return "latest=" + latest + " earliest=" + consumer.position(tp, Duration.ofSeconds(10));
            }
        }));
    }

    @ParameterizedTest(name = "auto.offset.reset={0}")
    @ValueSource(strings = {"earliest", "latest"})
    @Timeout(60)
    void seekBeyondEndResets(String reset) {
        String expected = reset.equals("earliest") ? "ok records=5 position=5" : "ok records=0 position=5";
        differential(expected, (b, admin) -> Outcome.of(() -> {
            String topic = "seek-beyond-" + reset;
            Differential.createTopic(admin, topic, 1);
            Differential.produce(b, topic, 5);
            TopicPartition tp = new TopicPartition(topic, 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, null, reset, Map.of())) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, 100);
                int wanted = reset.equals("earliest") ? 5 : 0;
                int records = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                // until the out-of-range position has been reset and everything expected has arrived
                while (System.nanoTime() < deadline
                        && (records < wanted || consumer.position(tp, Duration.ofSeconds(10)) == 100)) {
                    records += consumer.poll(Duration.ofMillis(200)).count();
                }
                // a moment more, so that records arriving after the expected ones would be counted
                records += consumer.poll(Duration.ofMillis(300)).count();
                return "records=" + records + " position=" + consumer.position(tp, Duration.ofSeconds(10));
            }
        }));
    }

    @Test
    @Timeout(60)
    void committedOffsetAndMetadataRoundTrip() {
        differential("ok offset=3 metadata=checkpoint-7 leaderEpoch=Optional[0]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "commit-round-trip", 1);
            Differential.produce(b, "commit-round-trip", 5);
            TopicPartition tp = new TopicPartition("commit-round-trip", 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-round-trip", "earliest", Map.of())) {
                consumer.assign(List.of(tp));
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(3, Optional.of(0), "checkpoint-7")));
            }
            try (KafkaConsumer<byte[], byte[]> reader = consumer(b, "g-round-trip", "earliest", Map.of())) {
                OffsetAndMetadata committed = reader.committed(java.util.Set.of(tp), Duration.ofSeconds(10)).get(tp);
                return "offset=" + committed.offset() + " metadata=" + committed.metadata()
                        + " leaderEpoch=" + committed.leaderEpoch();
            }
        }));
    }

    @Test
    @Timeout(60)
    void commitWithOversizedMetadata() {
        differential("error OffsetMetadataTooLarge", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "commit-big-metadata", 1);
            TopicPartition tp = new TopicPartition("commit-big-metadata", 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-big-metadata", "earliest", Map.of())) {
                consumer.assign(List.of(tp));
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(0, "m".repeat(5000))));
                return "committed";
            }
        }));
    }

    @Test
    @Timeout(60)
    void adminAlterOffsetsOfUnknownTopic() {
        differential("error UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() ->
                admin.alterConsumerGroupOffsets("g-unknown-topic",
                        Map.of(new TopicPartition("never-created", 0), new OffsetAndMetadata(1))).all().get()));
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    @Timeout(60)
    void commitAfterPollIntervalExpired(String protocol) {
        // classic: the generation is gone, the commit fails; consumer protocol: having left, the client commits
        // as a non-member (epoch -1), which an empty group accepts
        String expected = protocol.equals("classic") ? "error CommitFailedException" : "ok committed with assignment []";
        differential(expected, (b, admin) -> Outcome.of(() -> {
            String topic = "stale-commit-" + protocol;
            Differential.createTopic(admin, topic, 1);
            Differential.produce(b, topic, 2);
            TopicPartition tp = new TopicPartition(topic, 0);
            Map<String, String> config = new java.util.HashMap<>(Map.of(
                    ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
                    ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "1500"));
            if (protocol.equals("classic")) {
                config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "200");
            }
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-stale-" + protocol, "earliest", config)) {
                consumer.subscribe(List.of(topic));
                pollUntilAssigned(consumer);
                // not polling for longer than max.poll.interval.ms: the client leaves the group
                Thread.sleep(3000);
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(1)));
                return "committed with assignment " + consumer.assignment();
            }
        }));
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    @Timeout(90)
    void staticMemberWithTakenInstanceId(String protocol) {
        // classic: the second member takes over the instance id and the first is fenced on its next heartbeat;
        // consumer protocol: the id is not released, so the second member is refused and the first keeps going
        String topic = "static-" + protocol;
        String expected = protocol.equals("classic")
                ? "ok first=assigned [" + topic + "-0] second=ok assigned [" + topic + "-0]"
                        + " firstAgain=error FencedInstanceIdException"
                : "ok first=assigned [" + topic + "-0] second=error UnreleasedInstanceIdException"
                        + " firstAgain=ok assigned [" + topic + "-0]";
        differential(expected, (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, topic, 1);
            Map<String, String> config = new java.util.HashMap<>(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                    protocol, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-1"));
            if (protocol.equals("classic")) {
                config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
            }
            try (KafkaConsumer<byte[], byte[]> first = consumer(b, "g-static-" + protocol, "earliest", config);
                 KafkaConsumer<byte[], byte[]> second = consumer(b, "g-static-" + protocol, "earliest", config)) {
                first.subscribe(List.of(topic));
                String firstJoin = pollUntilAssigned(first);
                second.subscribe(List.of(topic));
                String secondJoin = Outcome.of(() -> pollUntilAssigned(second));
                String firstAgain = Outcome.of(() -> {
                    // long enough for several heartbeats, which carry the fencing
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                    while (System.nanoTime() < deadline) {
                        first.poll(Duration.ofMillis(200));
                    }
                    return pollUntilAssigned(first);
                });
                return "first=" + firstJoin + " second=" + secondJoin + " firstAgain=" + firstAgain;
            }
        }));
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    @Timeout(60)
    void groupIsEmptyAfterItsOnlyMemberLeaves(String protocol) {
        String type = protocol.equals("classic") ? "Classic" : "Consumer";
        differential("ok state=Empty type=" + type + " members=0 committed={leave-" + protocol
                        + "-0=OffsetAndMetadata{offset=1, leaderEpoch=null, metadata=''}}",
                (b, admin) -> Outcome.of(() -> {
                    String topic = "leave-" + protocol;
                    String group = "g-leave-" + protocol;
                    Differential.createTopic(admin, topic, 1);
                    Differential.produce(b, topic, 1);
                    try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, group, "earliest",
                            Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol))) {
                        consumer.subscribe(List.of(topic));
                        pollUntilAssigned(consumer);
                        consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));
                    }
                    ConsumerGroupDescription description = describe(admin, group);
                    return "state=" + description.groupState() + " type=" + description.type() + " members="
                            + description.members().size() + " committed="
                            + admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                }));
    }

    @Test
    @Timeout(60)
    void describeUnknownGroup() {
        differential("error GroupIdNotFoundException", (b, admin) -> Outcome.of(() ->
                describe(admin, "never-joined").state()));
    }

    @Test
    @Timeout(60)
    void deleteUnknownGroup() {
        differential("error GroupIdNotFoundException", (b, admin) -> Outcome.of(() ->
                admin.deleteConsumerGroups(List.of("never-joined")).all().get()));
    }

    @Test
    @Timeout(60)
    void deleteGroupWithOnlyCommittedOffsets() {
        differential("ok deleted, offsets now {}", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "empty-group", 1);
            TopicPartition tp = new TopicPartition("empty-group", 0);
            admin.alterConsumerGroupOffsets("g-empty", Map.of(tp, new OffsetAndMetadata(0))).all().get();
            admin.deleteConsumerGroups(List.of("g-empty")).all().get();
            return "deleted, offsets now "
                    + admin.listConsumerGroupOffsets("g-empty").partitionsToOffsetAndMetadata().get();
        }));
    }

    @Test
    @Timeout(60)
    void classicSessionTimeoutBelowBrokerMinimum() {
        differential("error InvalidSessionTimeoutException", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "short-session", 1);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-short-session", "earliest",
                    Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "1000",
                            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300"))) {
                consumer.subscribe(List.of("short-session"));
                return pollUntilAssigned(consumer);
            }
        }));
    }

    @Test
    @Timeout(60)
    void classicMembersWithNoCommonAssignor() {
        differential("error InconsistentGroupProtocolException", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "no-common-assignor", 2);
            try (PollingMembers first = new PollingMembers(b, "g-no-common", "classic", "no-common-assignor", 1,
                    Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName()))) {
                first.awaitAssigned();
                try (KafkaConsumer<byte[], byte[]> second = consumer(b, "g-no-common", "earliest",
                        Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                                RoundRobinAssignor.class.getName()))) {
                    second.subscribe(List.of("no-common-assignor"));
                    return pollUntilAssigned(second);
                }
            }
        }));
    }

    @Test
    @Timeout(60)
    void consumerProtocolWithUnknownServerAssignor() {
        differential("error UnsupportedAssignorException", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "unknown-assignor", 1);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-unknown-assignor", "earliest",
                    Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                            ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "no-such-assignor"))) {
                consumer.subscribe(List.of("unknown-assignor"));
                return pollUntilAssigned(consumer);
            }
        }));
    }

    @Test
    @Timeout(60)
    void committedOffsetOfNeverCommittedPartitionIsNull() {
        differential("ok {never-committed-0=null}", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "never-committed", 1);
            TopicPartition tp = new TopicPartition("never-committed", 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-never-committed", "earliest", Map.of())) {
                return consumer.committed(java.util.Set.of(tp), Duration.ofSeconds(10));
            }
        }));
    }

    @Test
    @Timeout(60)
    void listOffsetsOfUnknownGroupIsEmpty() {
        differential("ok {}", (b, admin) -> Outcome.of(() ->
                admin.listConsumerGroupOffsets("never-joined-offsets").partitionsToOffsetAndMetadata().get()));
    }

    @Test
    @Timeout(60)
    void deleteOffsetsOfGroupWithoutThem() {
        differential("ok deleted", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "offset-delete", 1);
            TopicPartition tp = new TopicPartition("offset-delete", 0);
            admin.alterConsumerGroupOffsets("g-offset-delete", Map.of(tp, new OffsetAndMetadata(0))).all().get();
            admin.deleteConsumerGroupOffsets("g-offset-delete", java.util.Set.of(tp)).all().get();
            return "deleted";
        }));
    }

    @Test
    @Timeout(60)
    void seekBelowLogStartResetsToLogStart() {
        differential("ok records=2 first=3 position=5", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "below-start", 1);
            Differential.produce(b, "below-start", 5);
            TopicPartition tp = new TopicPartition("below-start", 0);
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(3))).all().get();
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, null, "earliest", Map.of())) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, 0);
                List<Long> offsets = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (offsets.size() < 2 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> offsets.add(r.offset()));
                }
                return "records=" + offsets.size() + " first=" + (offsets.isEmpty() ? "none" : offsets.get(0))
                        + " position=" + consumer.position(tp, Duration.ofSeconds(10));
            }
        }));
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    @Timeout(60)
    void recordsRoundTripWithHeadersNullsAndCompression(String codec) {
        differential("ok [0:null/v0/h=x0, 1:k1/null/h=x1, 2:k2/v2/h=x2]", (b, admin) -> Outcome.of(() -> {
            String topic = "round-trip-" + codec;
            Differential.createTopic(admin, topic, 1);
            try (KafkaProducer<byte[], byte[]> producer = Differential.producer(b, Map.of(
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, "50"))) {
                for (int i = 0; i < 3; i++) {
                    byte[] key = i == 0 ? null : bytes("k" + i);
                    byte[] value = i == 1 ? null : bytes("v" + i);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, key, value);
                    record.headers().add("h", bytes("x" + i));
                    producer.send(record);
                }
                producer.flush();
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, null, "earliest", Map.of())) {
                consumer.assign(List.of(tp));
                List<String> seen = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (seen.size() < 3 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.offset() + ":" + text(r.key()) + "/" + text(r.value()) + "/h="
                                + text(r.headers().lastHeader("h").value()));
                    }
                }
                return seen;
            }
        }));
    }

    @Test
    @Timeout(60)
    void recordLargerThanFetchLimitsStillArrives() {
        differential("ok records=2 first=5000 bytes", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "big-record", 1);
            try (KafkaProducer<byte[], byte[]> producer = Differential.producer(b, Map.of())) {
                producer.send(new ProducerRecord<>("big-record", 0, null, new byte[5000])).get();
                producer.send(new ProducerRecord<>("big-record", 0, null, new byte[10])).get();
            }
            TopicPartition tp = new TopicPartition("big-record", 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, null, "earliest", Map.of(
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "100", ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "100"))) {
                consumer.assign(List.of(tp));
                List<Integer> sizes = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (sizes.size() < 2 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> sizes.add(r.value().length));
                }
                return "records=" + sizes.size() + " first=" + (sizes.isEmpty() ? "none" : sizes.get(0)) + " bytes";
            }
        }));
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    @Timeout(60)
    void listGroupsShowsTypeProtocolAndState(String protocol) {
        String type = protocol.equals("classic") ? "Classic" : "Consumer";
        differential("ok type=" + type + " protocol=consumer state=Stable", (b, admin) -> Outcome.of(() -> {
            String topic = "listed-" + protocol;
            String group = "g-listed-" + protocol;
            Differential.createTopic(admin, topic, 1);
            try (PollingMembers members = new PollingMembers(b, group, protocol, topic, 1)) {
                members.awaitAssigned();
                GroupListing listing = admin.listGroups().all().get().stream()
                        .filter(g -> g.groupId().equals(group)).findFirst().orElseThrow();
                return "type=" + listing.type().map(Object::toString).orElse("none")
                        + " protocol=" + listing.protocol()
                        + " state=" + listing.groupState().map(Object::toString).orElse("none");
            }
        }));
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    @Timeout(90)
    void twoMembersShareThePartitionsAndTheGroupCannotBeDeleted(String protocol) {
        String type = protocol.equals("classic") ? "Classic" : "Consumer";
        String assignor = protocol.equals("classic") ? "range" : "uniform";
        differential("ok state=Stable type=" + type + " assignor=" + assignor
                        + " members=2 partitions=[0, 1, 2, 3] sizes=[2, 2] delete=error GroupNotEmptyException",
                (b, admin) -> Outcome.of(() -> {
                    String topic = "shared-" + protocol;
                    String group = "g-shared-" + protocol;
                    Differential.createTopic(admin, topic, 4);
                    try (PollingMembers members = new PollingMembers(b, group, protocol, topic, 2)) {
                        String shape = "";
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                        while (System.nanoTime() < deadline) {
                            // the group does not exist until the first member's join reaches the coordinator
                            shape = Outcome.of(() -> shape(describe(admin, group))).replaceFirst("^ok ", "");
                            if (shape.startsWith("state=Stable") && shape.contains("sizes=[2, 2]")) {
                                break;
                            }
                            Thread.sleep(200);
                        }
                        String delete = Outcome.of(() -> admin.deleteConsumerGroups(List.of(group)).all().get());
                        return shape + " delete=" + delete;
                    }
                }));
    }

    private static void differential(String expected, Differential.Scenario scenario) {
        Differential.assertSameAs(expected, brokers, admins, scenario);
    }

    /** Polls until the consumer has an assignment (then {@code assigned <partitions>}) or 15 s have passed. */
    private static String pollUntilAssigned(KafkaConsumer<byte[], byte[]> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        return "assigned " + consumer.assignment();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static ConsumerGroupDescription describe(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
    }

    /** State, type, assignor, member count, the union of assigned partitions and the sorted per-member counts. */
    private static String shape(ConsumerGroupDescription description) {
        TreeSet<Integer> partitions = new TreeSet<>();
        List<Integer> sizes = new ArrayList<>();
        for (MemberDescription member : description.members()) {
            Collection<TopicPartition> assigned = member.assignment().topicPartitions();
            assigned.forEach(tp -> partitions.add(tp.partition()));
            sizes.add(assigned.size());
        }
        sizes.sort(null);
        return "state=" + description.groupState() + " type=" + description.type()
                + " assignor=" + description.partitionAssignor() + " members=" + description.members().size()
                + " partitions=" + partitions + " sizes=" + sizes;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(ChildBroker broker, String group, String reset,
                                                          Map<String, String> extra) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        props.putAll(extra);
        return new KafkaConsumer<>(props);
    }

    /**
     * Consumers of one group, each polling {@code topic} on its own thread (a KafkaConsumer is single-threaded)
     * until closed; close stops and joins them within a bound.
     */
    private static final class PollingMembers implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final CountDownLatch stopped;
        private final CountDownLatch assigned;
        private final List<Thread> threads = new ArrayList<>();
        private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        PollingMembers(ChildBroker broker, String group, String protocol, String topic, int count) {
            this(broker, group, protocol, topic, count, Map.of());
        }

        PollingMembers(ChildBroker broker, String group, String protocol, String topic, int count,
                       Map<String, String> extra) {
            stopped = new CountDownLatch(count);
            assigned = new CountDownLatch(count);
            Map<String, String> config = new java.util.HashMap<>(extra);
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
            for (int i = 0; i < count; i++) {
                Thread thread = new Thread(() -> {
                    try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker, group, "earliest",
                            config)) {
                        consumer.subscribe(List.of(topic));
                        boolean counted = false;
                        while (running.get()) {
                            ConsumerRecords<byte[], byte[]> ignored = consumer.poll(Duration.ofMillis(100));
                            ignored.count();
                            if (!counted && !consumer.assignment().isEmpty()) {
                                assigned.countDown();
                                counted = true;
                            }
                        }
                    } catch (RuntimeException e) {
                        failures.add(e);
                    } finally {
                        stopped.countDown();
                    }
                }, group + "-member-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        /** Waits up to 20 s until every member has had a non-empty assignment. */
        void awaitAssigned() throws InterruptedException {
            if (!assigned.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("group members not assigned within 20 s");
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                threads.forEach(Thread::interrupt);
                throw new IllegalStateException("group members did not stop within 30 s");
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("a group member failed", failures.get(0));
            }
        }
    }
}
