package io.tributary.compat.clients;

import io.tributary.compat.ChildBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka Streams (the newest on Maven Central, on its own kafka-clients version) against a broker child process,
 * classic group protocol with Streams' own assignor. At least once, a stateless topology runs and resumes from its
 * committed offsets; a stateful one runs with its compacted changelog topic and default configs and restores its
 * store from it after a restart (also with internal topics configured to {@code cleanup.policy=delete}). Exactly
 * once v2 runs a stateless topology through Tributary's transactions. docs/clients.md tells users the same.
 */
@Timeout(90)
class KafkaStreamsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static ChildBroker broker;
    private static Admin admin;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("kafka-streams", "auto.create.topics.enable=false");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Timeout(40)
    void statelessTopologyTransformsAndResumesFromItsCommittedOffsets(TestInfo test) throws Exception {
        // Given input and output topics, 10 records in the input, and a filter + mapValues topology
        String app = appId(test);
        String input = app + "-in";
        String output = app + "-out";
        createTopics(input, output);
        produce(input, 0, 10);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .filter((key, value) -> Integer.parseInt(value.substring(2)) % 2 == 0)
                .mapValues(value -> value.toUpperCase())
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Topology topology = builder.build();

        // When the application runs until it has committed the whole input, closes, 10 more records arrive,
        // and it runs again under the same application.id
        ConsumerGroupDescription group;
        try (App first = App.start(topology, props(app, stateDir))) {
            first.awaitState(KafkaStreams.State.RUNNING);
            awaitCommitted(app, input, 10);
            group = admin.describeConsumerGroups(List.of(app)).describedGroups().get(app).get(10, TimeUnit.SECONDS);
        }
        produce(input, 10, 20);
        try (App second = App.start(topology, props(app, stateDir))) {
            second.awaitState(KafkaStreams.State.RUNNING);
            awaitCommitted(app, input, 20);
        }

        // Then the group was a stable classic group of one member on the Streams assignor, and the output holds
        // each even record once, upper-cased: nothing the first run committed was processed again
        assertThat(group.type()).isEqualTo(GroupType.CLASSIC);
        assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(group.partitionAssignor()).isEqualTo("stream");
        assertThat(group.members()).hasSize(1);
        assertThat(group.members().iterator().next().assignment().topicPartitions())
                .containsExactlyInAnyOrder(new TopicPartition(input, 0), new TopicPartition(input, 1));
        assertThat(readAll(output)).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 20).filter(i -> i % 2 == 0).mapToObj(i -> "N-" + i).toList());
    }

    @Test
    @Timeout(40)
    void statefulTopologyRunsWithDefaultConfigsAndRestoresFromItsCompactedChangelog(TestInfo test) throws Exception {
        // Given a count per key, whose store Streams logs to a changelog topic it creates with
        // cleanup.policy=compact, default configs, and three records for two keys
        String app = appId(test);
        String input = app + "-in";
        String output = app + "-out";
        createTopics(input, output);
        Topology topology = countTopology(input, output);
        produce(input, List.of("a", "b", "a"));

        // When it counts them, closes, one more record for a arrives, and it runs again on an empty state
        // directory (so the count can only come from the changelog)
        try (App first = App.start(topology, props(app, stateDir))) {
            first.awaitState(KafkaStreams.State.RUNNING);
            awaitCommitted(app, input, 3);
        }
        produce(input, List.of("a"));
        try (App second = App.start(topology, props(app, stateDir.resolve("second")))) {
            second.awaitState(KafkaStreams.State.RUNNING);
            awaitCommitted(app, input, 4);
            assertThat(second.errors).isEmpty();
        }

        // Then the last counts are a=3 and b=1, and the changelog topic is a compacted topic
        Map<String, String> lastCount = new HashMap<>();
        readAll(output).forEach(record -> lastCount.put(record.key(), record.value()));
        assertThat(lastCount).containsExactlyInAnyOrderEntriesOf(Map.of("a", "3", "b", "1"));
        String changelog = app + "-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog";
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
        Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
        assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
    }

    @Test
    @Timeout(40)
    void statefulTopologyRunsWhenItsInternalTopicsAreConfiguredToDelete(TestInfo test) throws Exception {
        // Given the count topology, configured (no code change) to create its internal topics with
        // cleanup.policy=delete and no retention limit, and three records for two keys
        String app = appId(test);
        String input = app + "-in";
        String output = app + "-out";
        createTopics(input, output);
        Topology topology = countTopology(input, output);
        produce(input, List.of("a", "b", "a"));

        // When it counts them, closes, one more record for a arrives, and it runs again (its in-memory store
        // starts empty, so the count can only come from the changelog)
        try (App first = App.start(topology, deleteInternalTopics(props(app, stateDir)))) {
            first.awaitState(KafkaStreams.State.RUNNING);
            awaitCommitted(app, input, 3);
        }
        produce(input, List.of("a"));
        try (App second = App.start(topology, deleteInternalTopics(props(app, stateDir.resolve("second"))))) {
            second.awaitState(KafkaStreams.State.RUNNING);
            awaitCommitted(app, input, 4);
            assertThat(second.errors).isEmpty();
        }

        // Then the last counts are a=3 and b=1, and the changelog topic is a delete topic that keeps everything
        Map<String, String> lastCount = new HashMap<>();
        readAll(output).forEach(record -> lastCount.put(record.key(), record.value()));
        assertThat(lastCount).containsExactlyInAnyOrderEntriesOf(Map.of("a", "3", "b", "1"));
        String changelog = app + "-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog";
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
        Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
        assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("delete");
        assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
    }

    @Test
    @Timeout(60)
    void exactlyOnceV2StatelessTopologyCommitsOutputAndOffsetsTogether(TestInfo test) throws Exception {
        // Given 10 input records and a stateless mapValues topology with processing.guarantee=exactly_once_v2
        String app = appId(test);
        String input = app + "-in";
        String output = app + "-out";
        createTopics(input, output);
        produce(input, 0, 10);
        Properties props = props(app, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> value.toUpperCase())
                .to(output, Produced.with(Serdes.String(), Serdes.String()));

        // When the application runs until its transactions have committed the whole input
        try (App streams = App.start(builder.build(), props)) {
            streams.awaitState(KafkaStreams.State.RUNNING);
            awaitCommitted(app, input, 10);
            assertThat(streams.errors).isEmpty();
        }

        // Then a read_committed consumer finds each record transformed exactly once
        assertThat(readAll(output)).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 10).mapToObj(i -> "N-" + i).toList());
    }

    /** Streams' internal topics (changelog and repartition) with cleanup.policy=delete and retention.ms=-1. */
    private static Properties deleteInternalTopics(Properties props) {
        props.put(StreamsConfig.topicPrefix(TopicConfig.CLEANUP_POLICY_CONFIG), TopicConfig.CLEANUP_POLICY_DELETE);
        props.put(StreamsConfig.topicPrefix(TopicConfig.RETENTION_MS_CONFIG), "-1");
        return props;
    }

    private static Topology countTopology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count()
                .toStream()
                .mapValues(String::valueOf)
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    private static String appId(TestInfo test) {
        return "streams-" + test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
    }

    private static Properties props(String app, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }

    private static void createTopics(String... names) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, 2, (short) 1));
        }
        admin.createTopics(topics).all().get(10, TimeUnit.SECONDS);
    }

    /** Sends {@code k<i>} → {@code n-<i>} for each {@code i} in {@code [from, to)} and waits for every ack. */
    private static void produce(String topic, int from, int to) throws Exception {
        produce(topic, IntStream.range(from, to).mapToObj(i -> "k" + i).toList(), from);
    }

    /** Sends one record per key, valued {@code n-<i>} by its index in {@code keys}, and waits for every ack. */
    private static void produce(String topic, List<String> keys) throws Exception {
        produce(topic, keys, 0);
    }

    private static void produce(String topic, List<String> keys, int first) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (int i = 0; i < keys.size(); i++) {
                producer.send(new ProducerRecord<>(topic, keys.get(i), "n-" + (first + i))).get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until group {@code app}'s committed offsets on {@code topic} add up to {@code total}. */
    private static void awaitCommitted(String app, String topic, long total) throws Exception {
        await(() -> {
            try {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(app)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                        .mapToLong(e -> e.getValue().offset()).sum() == total;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "group " + app + " to commit " + total + " records of " + topic);
    }

    /** Every committed record in {@code topic} from the beginning to its end offsets now, in order per partition. */
    private static List<ConsumerRecord<String, String>> readAll(String topic) throws Exception {
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get(10, TimeUnit.SECONDS).forEach((p, info) -> ends.put(p, info.offset()));
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record);
                }
            }
        }
        return records;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /**
     * A started KafkaStreams application with the states it went through and what its stream threads threw;
     * closing it leaves the group, so the next run of the same application.id need not wait out a session.
     */
    private static final class App implements AutoCloseable {
        final KafkaStreams streams;
        final List<KafkaStreams.State> states = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        private App(KafkaStreams streams) {
            this.streams = streams;
        }

        static App start(Topology topology, Properties props) {
            App app = new App(new KafkaStreams(topology, props));
            app.streams.setStateListener((now, before) -> app.states.add(now));
            app.streams.setUncaughtExceptionHandler(e -> {
                app.errors.add(e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            app.streams.start();
            return app;
        }

        void awaitState(KafkaStreams.State state) throws InterruptedException {
            await(() -> streams.state() == state, "state " + state + " (states so far " + states + ", errors " + errors + ")");
        }

        @Override
        public void close() {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
        }
    }
}
