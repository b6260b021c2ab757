package io.tributary.compat.clients;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.ExternalCommand;
import io.tributary.compat.StoredBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * confluent-kafka-python (Debian's {@code python3-confluent-kafka} on the system librdkafka) running
 * {@code clients/confluent_kafka_client.py}: AdminClient create_topics and list_topics, an idempotent
 * zstd Producer, a Consumer in a group that commits, and offsets_for_times.
 */
@Timeout(90)
class ConfluentKafkaPythonIT {
    private static final int COUNT = 30;
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("confluent-kafka-python", "auto.create.topics.enable=false");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void adminProducerAndGroupConsumer() throws Exception {
        // Given a Python that has confluent_kafka
        Path python = SystemPython.withModules(List.of("confluent_kafka"), "python3-confluent-kafka");
        Path script = Path.of(getClass().getResource("/clients/confluent_kafka_client.py").toURI());
        String topic = "python-topic";

        // When the script creates the topic, produces, consumes in a group and lists metadata
        Map<String, String> out = ScriptOutput.parse(ExternalCommand.of(List.of(python.toString(), script.toString(),
                broker.bootstrapServers(), topic, "python-group", Integer.toString(COUNT)))
                .withTimeout(Duration.ofSeconds(75)).run().assertSuccess());

        // Then every record was acknowledged, consumed once and committed, the offset for t0+5.5 s is the record
        // created at t0+6 s, and metadata shows the broker
        assertThat(out).containsEntry("unsent", "0").containsEntry("errors", "")
                .containsEntry("delivered", Integer.toString(COUNT + 10))
                .containsEntry("offset_for_time", "6")
                .containsEntry("committed", Integer.toString(COUNT))
                .containsEntry("brokers", "1@127.0.0.1:" + broker.port())
                .containsEntry("partitions", "3");
        assertThat(out.get("consumed").split(",")).containsExactlyElementsOf(
                IntStream.range(0, COUNT).mapToObj(i -> "value-" + i).toList());
        // and the producer really compressed
        List<String> codecs = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            codecs.addAll(StoredBatch.codecs(broker, topic, p));
        }
        assertThat(codecs).contains("zstd");
    }

    @Test
    @Timeout(180)
    void transactionsAndConsumeTransformProduce() throws Exception {
        // Given a Python that has confluent_kafka
        Path python = SystemPython.withModules(List.of("confluent_kafka"), "python3-confluent-kafka");
        Path script = Path.of(getClass().getResource("/clients/confluent_kafka_transactions.py").toURI());

        // When the script commits one transaction and aborts another, reads them read_committed in a group,
        // sends each record on with the group's offsets in one transaction, and starts a second producer with
        // the same transactional.id
        Map<String, String> out = ScriptOutput.parse(ExternalCommand.of(List.of(python.toString(), script.toString(),
                broker.bootstrapServers(), "python-tx-in", "python-tx-out", "python-tx-group"))
                .withTimeout(Duration.ofSeconds(120)).run().assertSuccess());

        // Then only the committed records were read, all went on, the offsets were committed with them, and the
        // first producer is fenced
        assertThat(out.get("seen").split(",")).containsExactlyElementsOf(
                IntStream.range(0, 10).mapToObj(i -> "committed-" + i).toList());
        assertThat(out.get("out").split(",")).containsExactlyElementsOf(
                IntStream.range(0, 10).mapToObj(i -> "COMMITTED-" + i).toList());
        assertThat(out).containsEntry("committed_errors", "").containsEntry("committed_positive", "True")
                .containsEntry("fenced", "_FENCED");
    }
}
