package io.tributary.compat.tools;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.ExternalCommand.Result;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.IntStream;

import static io.tributary.compat.tools.KafkaTool.CONSOLE_CONSUMER;
import static io.tributary.compat.tools.KafkaTool.CONSOLE_PRODUCER;
import static io.tributary.compat.tools.KafkaTool.CONSUMER_GROUPS;
import static io.tributary.compat.tools.KafkaTool.GET_OFFSETS;
import static io.tributary.compat.tools.KafkaTool.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's command-line tools against one broker child process. Every tool runs in its own JVM, so each
 * test keeps to a handful of invocations.
 */
@Timeout(120)
class KafkaToolsIT {
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("kafka-tools", "auto.create.topics.enable=false");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theToolsRunOnTheirOwnKafkaClients() {
        // Given this module's test class path / When the client reports its version / Then it is the tools' one
        assertThat(AppInfoParser.getVersion()).isEqualTo("4.3.1");
    }

    @Test
    void topicsCreateAndList() throws Exception {
        // Given a topic created by kafka-topics --create
        String topic = "tools-topics";
        Result created = TOPICS.command(bootstrap(), "--create", "--topic", topic, "--partitions", "3",
                "--replication-factor", "1").run();
        assertThat(created.assertSuccess().stdout()).contains("Created topic " + topic);

        // When the topics are listed
        Result listed = TOPICS.command(bootstrap(), "--list").run();

        // Then --list names it
        assertThat(listed.assertSuccess().lines()).contains(topic);
    }

    @Test
    void topicsDescribe() throws Exception {
        // Given a topic with three partitions
        String topic = "tools-describe";
        TOPICS.command(bootstrap(), "--create", "--topic", topic, "--partitions", "3", "--replication-factor", "1")
                .run().assertSuccess();

        // When kafka-topics --describe shows it, in one DescribeTopicPartitions response and one partition per response
        Result described = TOPICS.command(bootstrap(), "--describe", "--topic", topic).run();
        Result paged = TOPICS.command(bootstrap(), "--describe", "--topic", topic,
                "--partition-size-limit-per-response", "1").run();

        // Then both show its three partitions, each led by the broker, with an empty ELR as Kafka 4.4 prints it on one
        // node ("Elr: N/A" would mean the tool fell back to Metadata, which has no ELR)
        for (Result result : List.of(described, paged)) {
            assertThat(result.assertSuccess().stdout()).contains("Topic: " + topic).contains("PartitionCount: 3");
            assertThat(result.lines().stream().filter(l -> l.contains("Partition: ")).toList()).hasSize(3)
                    .allSatisfy(l -> assertThat(l).contains("Leader: ").doesNotContain("Leader: none")
                            .contains("\tElr: \tLastKnownElr: ").doesNotContain("N/A"));
        }
        // and --describe --topic-id (Metadata by topic id) shows the same topic
        String id = described.lines().stream().filter(l -> l.startsWith("Topic: " + topic + "\tTopicId: ")).findFirst()
                .orElseThrow().split("\t")[1].substring("TopicId: ".length());
        Result byId = TOPICS.command(bootstrap(), "--describe", "--topic-id", id).run();
        assertThat(byId.assertSuccess().stdout()).contains("Topic: " + topic + "\tTopicId: " + id + "\tPartitionCount: 3");
    }

    @Test
    void topicsAlterAddsPartitions() throws Exception {
        // Given a topic with one partition
        String topic = "tools-alter";
        TOPICS.command(bootstrap(), "--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1")
                .run().assertSuccess();

        // When kafka-topics --alter raises it to three
        TOPICS.command(bootstrap(), "--alter", "--topic", topic, "--partitions", "3").run().assertSuccess();

        // Then kafka-get-offsets sees three empty partitions
        assertThat(GET_OFFSETS.command(bootstrap(), "--topic", topic).run().assertSuccess().lines())
                .containsExactlyInAnyOrder(topic + ":0:0", topic + ":1:0", topic + ":2:0");
    }

    @Test
    void topicsDelete() throws Exception {
        // Given a topic
        String topic = "tools-delete";
        TOPICS.command(bootstrap(), "--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1")
                .run().assertSuccess();

        // When kafka-topics --delete removes it
        TOPICS.command(bootstrap(), "--delete", "--topic", topic).run().assertSuccess();

        // Then kafka-topics --list no longer names it
        assertThat(TOPICS.command(bootstrap(), "--list").run().assertSuccess().lines()).doesNotContain(topic);
    }

    @Test
    void consoleProducerThenConsoleConsumerThenGetOffsets() throws Exception {
        // Given a topic
        String topic = "tools-console";
        TOPICS.command(bootstrap(), "--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1")
                .run().assertSuccess();
        List<String> lines = IntStream.range(0, 20).mapToObj(i -> "line-" + i).toList();

        // When kafka-console-producer sends 20 lines and kafka-console-consumer reads from the beginning
        CONSOLE_PRODUCER.command(bootstrap(), "--topic", topic).withStdin(String.join("\n", lines) + "\n")
                .run().assertSuccess();
        Result consumed = CONSOLE_CONSUMER.command(bootstrap(), "--topic", topic, "--from-beginning",
                "--max-messages", "20", "--timeout-ms", "20000").run();

        // Then the consumer prints the 20 lines in order and kafka-get-offsets reports 0..20
        assertThat(consumed.assertSuccess().lines()).containsExactlyElementsOf(lines);
        assertThat(GET_OFFSETS.command(bootstrap(), "--topic", topic).run().assertSuccess().lines())
                .containsExactly(topic + ":0:20");
        assertThat(GET_OFFSETS.command(bootstrap(), "--topic", topic, "--time", "-2").run().assertSuccess().lines())
                .containsExactly(topic + ":0:0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void consumerGroupsDescribeShowsLagResetRewindsDeleteRemoves(String groupProtocol) throws Exception {
        // Given 10 records and a console consumer in a group (of the given protocol) that read 4 of them, one
        // per poll, and committed
        String topic = "tools-groups-" + groupProtocol;
        String group = "tools-group-" + groupProtocol;
        TOPICS.command(bootstrap(), "--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1")
                .run().assertSuccess();
        String records = String.join("\n", IntStream.range(0, 10).mapToObj(i -> "r" + i).toList()) + "\n";
        CONSOLE_PRODUCER.command(bootstrap(), "--topic", topic).withStdin(records).run().assertSuccess();
        Result partial = CONSOLE_CONSUMER.command(bootstrap(), "--topic", topic, "--group", group,
                "--from-beginning", "--max-messages", "4", "--timeout-ms", "20000",
                "--command-property", "max.poll.records=1",
                "--command-property", "group.protocol=" + groupProtocol).run();
        assertThat(partial.assertSuccess().lines()).containsExactly("r0", "r1", "r2", "r3");

        // When kafka-consumer-groups describes the group
        Result described = CONSUMER_GROUPS.command(bootstrap(), "--describe", "--group", group).run();

        // Then it shows committed offset 4, log end 10 and lag 6, and --list --type <protocol> names the group
        assertThat(offsetsRow(described.assertSuccess(), group, topic)).containsExactly("4", "10", "6");
        assertThat(CONSUMER_GROUPS.command(bootstrap(), "--list", "--type", groupProtocol).run().assertSuccess().lines())
                .anySatisfy(l -> assertThat(l.split("\\s+")[0]).isEqualTo(group));
        String otherProtocol = groupProtocol.equals("classic") ? "consumer" : "classic";
        assertThat(CONSUMER_GROUPS.command(bootstrap(), "--list", "--type", otherProtocol).run().assertSuccess().lines())
                .noneSatisfy(l -> assertThat(l.split("\\s+")[0]).isEqualTo(group));

        // and --reset-offsets --to-earliest --execute moves the group back to 0 (lag 10)
        Result reset = CONSUMER_GROUPS.command(bootstrap(), "--reset-offsets", "--to-earliest", "--execute",
                "--group", group, "--topic", topic).run();
        assertThat(reset.assertSuccess().lines().stream().filter(l -> l.startsWith(group)).toList())
                .singleElement().satisfies(l -> assertThat(l.split("\\s+")).endsWith("0"));
        Result afterReset = CONSUMER_GROUPS.command(bootstrap(), "--describe", "--group", group).run();
        assertThat(offsetsRow(afterReset.assertSuccess(), group, topic)).containsExactly("0", "10", "10");
        // and --delete removes the (empty) group
        assertThat(CONSUMER_GROUPS.command(bootstrap(), "--delete", "--group", group).run().assertSuccess().stdout())
                .contains("Deletion of requested consumer groups ('" + group + "') was successful");
        assertThat(CONSUMER_GROUPS.command(bootstrap(), "--list").run().assertSuccess().lines()).doesNotContain(group);
        // and describing it now says, in Kafka 4.4's words, that it is not found
        Result gone = CONSUMER_GROUPS.command(bootstrap(), "--describe", "--group", group).run();
        assertThat(gone.stdout() + gone.stderr()).contains("GroupIdNotFoundException: Group " + group + " not found.");
    }

    /**
     * CURRENT-OFFSET, LOG-END-OFFSET and LAG from the row of {@code topic} partition 0 in a
     * {@code --describe} table ({@code GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...}).
     */
    private static List<String> offsetsRow(Result described, String group, String topic) {
        List<List<String>> rows = described.lines().stream().map(l -> List.of(l.trim().split("\\s+")))
                .filter(cols -> cols.size() >= 6 && cols.get(0).equals(group) && cols.get(1).equals(topic)
                        && cols.get(2).equals("0"))
                .toList();
        assertThat(rows).as("describe rows for %s/%s-0 in:%n%s", group, topic, described).hasSize(1);
        return rows.get(0).subList(3, 6);
    }

    private static String bootstrap() {
        return broker.bootstrapServers();
    }
}
