package io.tributary.compat.clients;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.ExternalCommand;
import io.tributary.compat.RequiredTool;
import io.tributary.compat.StoredBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kafkajs (pure JavaScript, non-flexible protocol versions only) running {@code clients/kafkajs_client.js}:
 * admin createTopics, fetchTopicOffsets(ByTimestamp), fetchOffsets, listTopics, describeGroups, deleteGroups
 * and listGroups, a gzip producer, and a consumer group with eachMessage; and {@code clients/kafkajs_transactions.js}:
 * committed and aborted transactions, consume-transform-produce with {@code sendOffsets}.
 *
 * <p>kafkajs comes from {@code $TRIBUTARY_NODE_DIR} (default {@code ~/.cache/tributary/node}), where
 * {@code .ci/install-clients.sh} puts it; when it is missing there and npm is available, the test
 * installs the pinned version itself.
 */
@Timeout(150)
class KafkaJsIT {
    /** Keep in step with .ci/install-clients.sh. */
    private static final String KAFKAJS_VERSION = "2.2.4";
    private static final int COUNT = 30;
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("kafkajs", "auto.create.topics.enable=false");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void adminProducerAndGroupConsumer() throws Exception {
        // Given node and kafkajs
        Path node = RequiredTool.onPath("node");
        Path nodeDir = kafkaJs();
        Path script = Path.of(getClass().getResource("/clients/kafkajs_client.js").toURI());
        String topic = "kafkajs-topic";

        // When the script creates the topic, produces, consumes in a group and reads offsets
        Map<String, String> out = ScriptOutput.parse(ExternalCommand.of(List.of(node.toString(), script.toString(),
                broker.bootstrapServers(), topic, "kafkajs-group", Integer.toString(COUNT)))
                .withEnvironment(Map.of("NODE_PATH", nodeDir.resolve("node_modules").toString()))
                .withTimeout(Duration.ofSeconds(90)).run().assertSuccess());

        // Then the topic was created with 2 partitions, every record acknowledged, consumed once and committed
        assertThat(out).containsEntry("created", "true").containsEntry("acked", "2/2")
                .containsEntry("committed", Integer.toString(COUNT))
                .containsEntry("high", Integer.toString(COUNT)).containsEntry("low", "0")
                .containsEntry("partitions", "2").containsEntry("listed", "true")
                .containsEntry("offsets_an_hour_ago", "0,0");
        // and the group, once the consumer left, is Empty and deletable
        assertThat(out).containsEntry("group_state", "Empty").containsEntry("group_listed_after_delete", "false");
        assertThat(out.get("consumed").split(",")).containsExactlyElementsOf(
                IntStream.range(0, COUNT).mapToObj(i -> "value-" + i).toList());
        // and the batches were stored gzip-compressed
        List<String> codecs = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            codecs.addAll(StoredBatch.codecs(broker, topic, p));
        }
        assertThat(codecs).isNotEmpty().containsOnly("gzip");
    }

    @Test
    void transactionsAndConsumeTransformProduce() throws Exception {
        // Given node and kafkajs
        Path node = RequiredTool.onPath("node");
        Path nodeDir = kafkaJs();
        Path script = Path.of(getClass().getResource("/clients/kafkajs_transactions.js").toURI());

        // When the script commits one transaction and aborts another, then reads the topic read_committed in a
        // group and sends each record on, with the group's offsets (TxnOffsetCommit v1, no member id), in one
        // transaction
        Map<String, String> out = ScriptOutput.parse(ExternalCommand.of(List.of(node.toString(), script.toString(),
                broker.bootstrapServers(), "kafkajs-tx-in", "kafkajs-tx-out", "kafkajs-tx-group"))
                .withEnvironment(Map.of("NODE_PATH", nodeDir.resolve("node_modules").toString()))
                .withTimeout(Duration.ofSeconds(120)).run().assertSuccess());

        // Then only the committed records were read, all of them went on, and the group's offsets committed with
        // them sit just past the last transformed record of each partition
        assertThat(out.get("seen").split(",")).containsExactlyElementsOf(
                IntStream.range(0, 10).mapToObj(i -> "committed-" + i).toList());
        assertThat(out.get("out").split(",")).containsExactlyElementsOf(
                IntStream.range(0, 10).mapToObj(i -> "COMMITTED-" + i).toList());
        assertThat(out).containsEntry("committed_offsets", "10");
    }

    /** The directory whose node_modules holds kafkajs at the pinned version, installing it with npm if needed. */
    private static Path kafkaJs() throws Exception {
        String configured = System.getenv("TRIBUTARY_NODE_DIR");
        Path dir = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "tributary", "node");
        Path packageJson = dir.resolve("node_modules").resolve("kafkajs").resolve("package.json");
        if (Files.exists(packageJson) && Files.readString(packageJson).contains("\"version\": \"" + KAFKAJS_VERSION + "\"")) {
            return dir;
        }
        Path npm = RequiredTool.onPath("npm");
        Files.createDirectories(dir);
        ExternalCommand.of(List.of(npm.toString(), "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                dir.toString(), "kafkajs@" + KAFKAJS_VERSION)).withTimeout(Duration.ofSeconds(50)).run().assertSuccess();
        return dir;
    }
}
