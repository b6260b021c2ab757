package io.tributary.compat.tools;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.ExternalCommand.Result;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static io.tributary.compat.tools.KafkaTool.CONFIGS;
import static io.tributary.compat.tools.KafkaTool.CONSOLE_PRODUCER;
import static io.tributary.compat.tools.KafkaTool.DELETE_RECORDS;
import static io.tributary.compat.tools.KafkaTool.FEATURES;
import static io.tributary.compat.tools.KafkaTool.LEADER_ELECTION;
import static io.tributary.compat.tools.KafkaTool.REASSIGN_PARTITIONS;
import static io.tributary.compat.tools.KafkaTool.GET_OFFSETS;
import static io.tributary.compat.tools.KafkaTool.LOG_DIRS;
import static io.tributary.compat.tools.KafkaTool.TOPICS;
import static io.tributary.compat.tools.KafkaTool.TRANSACTIONS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's administration tools against one broker child process: kafka-log-dirs, kafka-configs,
 * kafka-delete-records, kafka-transactions and kafka-features. The expected output is what the same commands print against Kafka 4.4.
 */
@Timeout(120)
class AdminToolsIT {
    /** One partition of kafka-log-dirs' JSON: {@code {"partition":"t-0","size":85,"offsetLag":0,"isFuture":false}}. */
    private static final Pattern LOG_DIR_PARTITION = Pattern.compile(
            "\\{\"partition\":\"([^\"]+)\",\"size\":(\\d+),\"offsetLag\":(-?\\d+),\"isFuture\":(true|false)}");

    private static ChildBroker broker;

    @TempDir
    Path files;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("admin-tools", "auto.create.topics.enable=false");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void logDirsDescribeShowsTheDataDirectoryAndPartitionSizes() throws Exception {
        // Given a two-partition topic with 3 records
        String topic = "tools-log-dirs";
        createTopic(topic, 2);
        produce(topic, 3);

        // When kafka-log-dirs describes the topic's log directories
        Result described = LOG_DIRS.command(bootstrap(), "--describe", "--topic-list", topic).run().assertSuccess();

        // Then its JSON names the broker's data directory without an error, and both partitions with lag 0, not
        // future, holding the records' bytes between them
        String json = described.lines().stream().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        assertThat(json).contains("\"logDir\":\"" + broker.dataDir().toAbsolutePath() + "\"")
                .contains("\"error\":null").contains("\"version\":1");
        List<MatchResult> partitions = LOG_DIR_PARTITION.matcher(json).results().toList();
        assertThat(partitions).as(json).extracting(m -> m.group(1) + " lag=" + m.group(3) + " future=" + m.group(4))
                .containsExactlyInAnyOrder(topic + "-0 lag=0 future=false", topic + "-1 lag=0 future=false");
        assertThat(partitions.stream().mapToLong(m -> Long.parseLong(m.group(2))).sum()).as(json)
                .isGreaterThan(3 * "record-0".length());
    }

    @Test
    void configsAddDescribeAndDeleteTopicConfigs() throws Exception {
        // Given a topic without overrides
        String topic = "tools-configs";
        createTopic(topic, 1);
        assertThat(configLines(describeTopicConfigs(topic))).isEmpty();

        // When kafka-configs adds two overrides, then deletes one of them
        Result added = CONFIGS.command(bootstrap(), "--alter", "--entity-type", "topics", "--entity-name", topic,
                "--add-config", "retention.ms=3600000,max.message.bytes=2000000").run().assertSuccess();
        List<String> afterAdd = configLines(describeTopicConfigs(topic));
        Result deleted = CONFIGS.command(bootstrap(), "--alter", "--entity-type", "topics", "--entity-name", topic,
                "--delete-config", "retention.ms").run().assertSuccess();
        List<String> afterDelete = configLines(describeTopicConfigs(topic));

        // Then each change is reported done, --describe lists both as topic overrides, then only the one kept
        assertThat(added.stdout()).contains("Completed updating config for topic " + topic + ".");
        assertThat(deleted.stdout()).contains("Completed updating config for topic " + topic + ".");
        assertThat(afterAdd).hasSize(2);
        assertThat(afterAdd).anySatisfy(l -> assertThat(l).startsWith("retention.ms=3600000 ")
                .contains("DYNAMIC_TOPIC_CONFIG:retention.ms=3600000"));
        assertThat(afterAdd).anySatisfy(l -> assertThat(l).startsWith("max.message.bytes=2000000 ")
                .contains("DYNAMIC_TOPIC_CONFIG:max.message.bytes=2000000"));
        assertThat(afterDelete).singleElement().asString().startsWith("max.message.bytes=2000000 ");
    }

    @Test
    void configsDescribeBrokers() throws Exception {
        // When kafka-configs describes the brokers, and then every config of broker 1
        Result brokers = CONFIGS.command(bootstrap(), "--describe", "--entity-type", "brokers").run().assertSuccess();
        Result all = CONFIGS.command(bootstrap(), "--describe", "--entity-type", "brokers", "--entity-name", "1",
                "--all").run().assertSuccess();

        // Then broker 1 and the cluster default have no dynamic configs (Tributary has none), and --all shows the
        // static setting the broker was started with and a default
        assertThat(brokers.lines()).containsExactly("Dynamic configs for broker 1 are:",
                "Default configs for brokers in the cluster are:");
        assertThat(all.lines().get(0)).isEqualTo("All configs for broker 1 are:");
        assertThat(configLines(all)).contains("auto.create.topics.enable=false sensitive=false"
                + " synonyms={STATIC_BROKER_CONFIG:auto.create.topics.enable=false}");
        assertThat(configLines(all)).anySatisfy(l -> assertThat(l).startsWith("num.partitions=1 ")
                .contains("DEFAULT_CONFIG:num.partitions=1"));
    }

    @Test
    void deleteRecordsFromAnOffsetsFile() throws Exception {
        // Given 5 records in a one-partition topic
        String topic = "tools-delete-records";
        createTopic(topic, 1);
        produce(topic, 5);

        // When kafka-delete-records deletes before offset 3, then asks for offset 99 (past the end)
        Result deleted = DELETE_RECORDS.command(bootstrap(), "--offset-json-file", offsetsFile(topic, 3)).run()
                .assertSuccess();
        Result beyond = DELETE_RECORDS.command(bootstrap(), "--offset-json-file", offsetsFile(topic, 99)).run()
                .assertSuccess();

        // Then the first reports low watermark 3, which kafka-get-offsets sees as the earliest offset, and the
        // second reports the partition's OffsetOutOfRangeException (the tool itself still succeeds, as on Kafka)
        assertThat(deleted.lines()).contains("partition: " + topic + "-0\tlow_watermark: 3");
        assertThat(GET_OFFSETS.command(bootstrap(), "--topic", topic, "--time", "-2").run().assertSuccess().lines())
                .containsExactly(topic + ":0:3");
        assertThat(beyond.lines()).anySatisfy(l -> assertThat(l).startsWith("partition: " + topic + "-0\terror: ")
                .contains("OffsetOutOfRangeException"));
    }

    @Test
    void leaderElectionAndReassignmentListingOnOneNode() throws Exception {
        // Given a topic with two partitions
        String topic = "tools-placement";
        createTopic(topic, 2);

        // When kafka-leader-election asks for a preferred election of partition 0, then of every partition,
        // and kafka-reassign-partitions lists the reassignments in progress
        Result one = LEADER_ELECTION.command(bootstrap(), "--election-type", "preferred", "--topic", topic,
                "--partition", "0").run().assertSuccess();
        Result all = LEADER_ELECTION.command(bootstrap(), "--election-type", "preferred", "--all-topic-partitions").run()
                .assertSuccess();
        Result listed = REASSIGN_PARTITIONS.command(bootstrap(), "--list").run().assertSuccess();

        // Then, as on a one-node Kafka: the partition already has its valid leader, "all" has nothing to do,
        // and no reassignment is in progress
        assertThat(one.lines()).contains("Valid replica already elected for partitions " + topic + "-0");
        assertThat(all.lines()).noneSatisfy(l -> assertThat(l).contains(topic));
        assertThat(listed.lines()).contains("No partition reassignments found.");
    }

    @Test
    void transactionsListDescribeAndAbortAnOpenTransaction() throws Exception {
        // Given a transactional producer with an open transaction on partition 0 of a topic
        String topic = "tools-transactions";
        createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(), ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tools-tx",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get(20, TimeUnit.SECONDS);

            // When kafka-transactions lists and describes transactions
            Result listed = TRANSACTIONS.command(bootstrap(), "list").run().assertSuccess();
            Result described = TRANSACTIONS.command(bootstrap(), "describe", "--transactional-id", "tools-tx").run()
                    .assertSuccess();

            // Then the list has a header and the id as Ongoing; describe shows its epoch, state and partition
            assertThat(listed.lines().get(0).split("\\s+")).containsExactly("TransactionalId", "Coordinator",
                    "ProducerId", "TransactionState");
            assertThat(listed.lines()).anySatisfy(l -> assertThat(l.split("\\s+"))
                    .startsWith("tools-tx", "1").endsWith("Ongoing"));
            assertThat(described.lines().get(0).split("\\s+")).startsWith("CoordinatorId", "TransactionalId",
                    "ProducerId", "ProducerEpoch", "TransactionState");
            assertThat(described.lines().get(1).split("\\s+")).startsWith("1", "tools-tx")
                    .contains("Ongoing", topic + "-0");

            // And kafka-transactions abort, given the partition and the transaction's start offset, ends it there:
            // the abort marker takes offset 1 and read_committed consumers may read up to offset 2
            TRANSACTIONS.command(bootstrap(), "abort", "--topic", topic, "--partition", "0", "--start-offset", "0").run()
                    .assertSuccess();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
                TopicPartition partition = new TopicPartition(topic, 0);
                assertThat(admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(partition)
                        .get(20, TimeUnit.SECONDS).offset()).isEqualTo(2);
            }
        }
    }

    @Test
    void featuresDescribeShowsTransactionVersion2Finalized() throws Exception {
        // When kafka-features describes the cluster's features
        Result described = FEATURES.command(bootstrap(), "describe").run().assertSuccess();

        // Then transaction.version is supported up to 2 and finalized at 2 (the default transaction.version)
        assertThat(described.lines()).anySatisfy(l -> assertThat(l).startsWith("Feature: transaction.version")
                .contains("SupportedMinVersion: 0").contains("SupportedMaxVersion: 2")
                .contains("FinalizedVersionLevel: 2"));
    }

    private void createTopic(String topic, int partitions) throws Exception {
        TOPICS.command(bootstrap(), "--create", "--topic", topic, "--partitions", String.valueOf(partitions),
                "--replication-factor", "1").run().assertSuccess();
    }

    /** {@code count} lines into {@code topic} with kafka-console-producer. */
    private static void produce(String topic, int count) throws Exception {
        String lines = String.join("\n", IntStream.range(0, count).mapToObj(i -> "record-" + i).toList()) + "\n";
        CONSOLE_PRODUCER.command(bootstrap(), "--topic", topic).withStdin(lines).run().assertSuccess();
    }

    private Result describeTopicConfigs(String topic) throws Exception {
        Result described = CONFIGS.command(bootstrap(), "--describe", "--entity-type", "topics", "--entity-name", topic)
                .run().assertSuccess();
        assertThat(described.lines().get(0)).isEqualTo("Dynamic configs for topic " + topic + " are:");
        return described;
    }

    /** The indented {@code key=value sensitive=... synonyms={...}} lines of a kafka-configs --describe, trimmed. */
    private static List<String> configLines(Result described) {
        return described.lines().stream().filter(l -> l.startsWith("  ")).map(String::trim).toList();
    }

    /** A kafka-delete-records offsets file for partition 0 of {@code topic}. */
    private String offsetsFile(String topic, long offset) throws Exception {
        Path file = files.resolve("offsets-" + offset + ".json");
        Files.writeString(file, "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":" + offset
                + "}],\"version\":1}");
        return file.toString();
    }

    private static String bootstrap() {
        return broker.bootstrapServers();
    }
}
