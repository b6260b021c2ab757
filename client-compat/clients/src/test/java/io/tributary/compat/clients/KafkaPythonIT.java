package io.tributary.compat.clients;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.ExternalCommand;
import io.tributary.compat.StoredBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kafka-python, the pure-Python client (Debian's {@code python3-kafka} 2.0.2, with the snappy, lz4 and
 * zstandard modules), running {@code clients/kafka_python_client.py}: KafkaAdminClient create_topics (and
 * again, for TOPIC_ALREADY_EXISTS), list_topics, describe_topics, list_consumer_group_offsets and
 * describe_consumer_groups; a KafkaProducer with keys and headers at acks=all and one per codec; two
 * KafkaConsumers in turn in one group, the second resuming from the first one's commit.
 *
 * <p>kafka-python 2.0.2 predates Kafka 4 and picks its request versions from the ApiVersions ranges (Produce
 * v7, Fetch v4, JoinGroup v2, OffsetCommit v2, OffsetFetch v1/v3, CreateTopics v3, DescribeConfigs v2); every
 * assertion here holds against Apache Kafka 4.4 with this script as well.
 */
@Timeout(60)
class KafkaPythonIT {
    private static final int COUNT = 40;
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("kafka-python", "auto.create.topics.enable=false");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void adminProducerAndConsumersResumingInAGroup() throws Exception {
        // Given a Python with kafka-python and its compression modules
        Path python = SystemPython.withModules(List.of("kafka", "snappy", "lz4.frame", "zstandard"),
                "python3-kafka python3-snappy python3-lz4 python3-zstandard");
        Path script = Path.of(getClass().getResource("/clients/kafka_python_client.py").toURI());
        String topic = "kafka-python-topic";

        // When the script creates the topics, produces, and consumes in a group with two consumers in turn
        Map<String, String> out = ScriptOutput.parse(ExternalCommand.of(List.of(python.toString(), script.toString(),
                broker.bootstrapServers(), topic, "kafka-python-group", Integer.toString(COUNT)))
                .withTimeout(Duration.ofSeconds(45)).run().assertSuccess());

        // Then the topic was created once (the second attempt got TOPIC_ALREADY_EXISTS, 36) and is listed with
        // its 3 partitions, and every record was acknowledged
        assertThat(out).containsEntry("already_exists", "36")
                .containsEntry("listed", topic + "," + topic + "-codecs")
                .containsEntry("partitions", "3")
                .containsEntry("delivered", Integer.toString(COUNT)).containsEntry("errors", "")
                .containsEntry("codec_delivered", "40");
        // and the first consumer committed what it read, the second resumed there and read only the rest, with
        // keys and headers as sent
        int firstRead = Integer.parseInt(out.get("first_read"));
        assertThat(firstRead).isBetween(1, COUNT - 1);
        assertThat(out).containsEntry("first_committed", Integer.toString(firstRead))
                .containsEntry("second_read", Integer.toString(COUNT - firstRead))
                .containsEntry("committed", Integer.toString(COUNT))
                .containsEntry("keys_and_headers", "True");
        assertThat(out.get("consumed").split(",")).containsExactlyElementsOf(
                IntStream.range(0, COUNT).mapToObj(i -> "value-" + i).toList());
        // and the admin client sees the group's offsets, and the group empty after both left
        assertThat(out).containsEntry("group_offsets", Integer.toString(COUNT)).containsEntry("group_state", "Empty");
        // and each producer's records were stored compressed with its codec (kafka-python never falls back)
        assertThat(StoredBatch.codecs(broker, topic + "-codecs", 0).stream().distinct())
                .containsExactly("gzip", "snappy", "lz4", "zstd");
    }
}
