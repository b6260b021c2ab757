package io.tributary.compat.clients;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.ExternalCommand;
import io.tributary.compat.ExternalCommand.Result;
import io.tributary.compat.RequiredTool;
import io.tributary.compat.StoredBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kcat (librdkafka) from the machine's PATH: produce with each compression codec into an auto-created
 * topic, consume it from the beginning to the end, and list the metadata.
 *
 * <p>librdkafka decides per connection from ApiVersions which features it may use; it only compresses
 * when the broker advertises Produce from v0 (DESIGN.md's trap), so a compressed run that reads back is
 * also a check of the advertised ranges.
 */
@Timeout(60)
class KcatIT {
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("kcat", "auto.create.topics.enable=true", "num.partitions=3");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void produceWithCodecThenConsumeFromBeginning(String codec) throws Exception {
        // Given kcat and 30 keyed lines
        Path kcat = RequiredTool.onPath("kcat");
        String topic = "kcat-" + codec;
        List<String> lines = IntStream.range(0, 30).mapToObj(i -> "k" + i + ":value-" + i).toList();

        // When kcat -P sends them with the codec (with a linger, so most records share a batch), and kcat -C
        // reads the partition from the beginning to its end
        kcat(kcat, "-P", "-t", topic, "-p", "0", "-K", ":", "-z", codec, "-X", "linger.ms=200")
                .withStdin(String.join("\n", lines) + "\n").run().assertSuccess();
        Result consumed = kcat(kcat, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-f", "%k:%s@%o\\n")
                .run().assertSuccess();

        // Then the broker stored batches with that codec (apart from single records that did not shrink), and
        // every record is back, in order, at offsets 0..29
        List<StoredBatch.Batch> batches = StoredBatch.batches(broker, topic, 0);
        assertThat(batches).extracting(StoredBatch.Batch::codec).contains(codec);
        assertThat(batches).filteredOn(b -> !b.codec().equals(codec))
                .as("uncompressed batches (librdkafka sends one uncompressed when compressing does not shrink it)")
                .allSatisfy(b -> assertThat(b.records()).isOne());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            expected.add(lines.get(i) + "@" + i);
        }
        assertThat(consumed.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void balancedConsumerInAGroupReadsEveryPartition() throws Exception {
        // Given 3 partitions with 10 records each, written by kcat -P with -p per partition
        Path kcat = RequiredTool.onPath("kcat");
        String topic = "kcat-group";
        List<String> expected = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                values.add("p" + p + "-" + i);
            }
            expected.addAll(values);
            kcat(kcat, "-P", "-t", topic, "-p", Integer.toString(p)).withStdin(String.join("\n", values) + "\n")
                    .run().assertSuccess();
        }

        // When kcat -G joins a group and reads 30 records
        Result consumed = kcat(kcat, "-G", "kcat-group-g", "-X", "auto.offset.reset=earliest", "-c", "30",
                "-f", "%s\\n", topic).withTimeout(Duration.ofSeconds(45)).run().assertSuccess();

        // Then it got all of them, each once
        assertThat(consumed.lines()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void metadataListsTheBrokerAndTopics() throws Exception {
        // Given a topic kcat has produced to
        Path kcat = RequiredTool.onPath("kcat");
        String topic = "kcat-metadata";
        kcat(kcat, "-P", "-t", topic, "-p", "0").withStdin("one\n").run().assertSuccess();

        // When kcat -L lists the cluster metadata
        Result metadata = kcat(kcat, "-L").run().assertSuccess();

        // Then it shows the one broker at the bootstrap port and the auto-created topic with its 3 partitions
        assertThat(metadata.stdout()).contains("1 brokers:").contains("127.0.0.1:" + broker.port())
                .contains("topic \"" + topic + "\" with 3 partitions:");
        assertThat(metadata.lines()).anySatisfy(l -> assertThat(l).contains("partition 0, leader"));
    }

    private static ExternalCommand kcat(Path kcat, String... args) {
        List<String> command = new ArrayList<>(List.of(kcat.toString(), "-b", broker.bootstrapServers()));
        command.addAll(List.of(args));
        return ExternalCommand.of(command);
    }
}
