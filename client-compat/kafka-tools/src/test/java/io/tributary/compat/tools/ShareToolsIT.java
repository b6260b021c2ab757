package io.tributary.compat.tools;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.ExternalCommand.Result;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.tributary.compat.tools.KafkaTool.CONSOLE_SHARE_CONSUMER;
import static io.tributary.compat.tools.KafkaTool.SHARE_GROUPS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's share-group tools (4.3.1) against one broker child process: kafka-console-share-consumer, and
 * kafka-share-groups --list, --describe (state, members, offsets), --reset-offsets --execute and --delete.
 */
@Timeout(180)
class ShareToolsIT {
    private static final String TOPIC = "tools-share";
    private static final String GROUP = "tools-share-group";

    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("share-tools", "auto.create.topics.enable=false");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void consoleShareConsumerAndShareGroupsListDescribeResetAndDelete() throws Exception {
        // Given a topic with 5 records and a share group that starts at the earliest offset
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, GROUP), List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "record-" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        // When kafka-console-share-consumer reads them (accepting each), and kafka-share-groups looks at the group
        Result consumed = CONSOLE_SHARE_CONSUMER.command(bootstrap(), "--topic", TOPIC, "--group", GROUP,
                "--max-messages", "5", "--timeout-ms", "30000").run().assertSuccess();
        Result listed = SHARE_GROUPS.command(bootstrap(), "--list").run().assertSuccess();
        Result offsets = SHARE_GROUPS.command(bootstrap(), "--describe", "--group", GROUP, "--offsets").run()
                .assertSuccess();

        // Then every record was printed once, the group is listed, and its start offset is past them with lag 0
        assertThat(consumed.lines()).containsExactlyInAnyOrder("record-0", "record-1", "record-2", "record-3",
                "record-4");
        assertThat(listed.lines()).contains(GROUP);
        assertThat(row(offsets, GROUP)).containsExactly(GROUP, TOPIC, "0", "5", "0");

        // And with a member polling, --describe shows it Stable with that member and its assignment
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tools-member");
        try (KafkaShareConsumer<String, String> member = new KafkaShareConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            member.subscribe(List.of(TOPIC));
            long deadline = System.currentTimeMillis() + 60_000;
            Result state;
            do {
                member.poll(Duration.ofMillis(200));
                state = SHARE_GROUPS.command(bootstrap(), "--describe", "--group", GROUP, "--state").run()
                        .assertSuccess();
                assertThat(System.currentTimeMillis()).as("a Stable group, got %s", state).isLessThan(deadline);
            } while (!row(state, GROUP).contains("Stable"));
            member.poll(Duration.ofMillis(200));
            Result members = SHARE_GROUPS.command(bootstrap(), "--describe", "--group", GROUP, "--members").run()
                    .assertSuccess();
            assertThat(row(state, GROUP)).endsWith("1");
            assertThat(row(members, GROUP)).contains("tools-member", "1", TOPIC + ":0");
        }

        // And once it is gone, --reset-offsets --to-earliest --execute moves the start back to 0 and --delete
        // deletes the group
        Result reset = SHARE_GROUPS.command(bootstrap(), "--reset-offsets", "--group", GROUP, "--topic", TOPIC,
                "--to-earliest", "--execute").run().assertSuccess();
        Result deleted = SHARE_GROUPS.command(bootstrap(), "--delete", "--group", GROUP).run().assertSuccess();
        assertThat(row(reset, GROUP)).containsSequence(GROUP, TOPIC, "0", "0");
        assertThat(deleted.stdout()).contains("Deletion of requested share groups ('" + GROUP + "') was successful.");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            assertThat(admin.listGroups().all().get(30, TimeUnit.SECONDS))
                    .noneMatch(g -> g.groupId().equals(GROUP));
        }
    }

    /** The whitespace-separated columns of the one output line that starts with {@code first}. */
    private static List<String> row(Result result, String first) {
        return result.lines().stream().map(String::trim).filter(l -> l.startsWith(first + " "))
                .map(l -> List.of(l.split("\\s+"))).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + first + " in:\n" + result.stdout()));
    }

    private static String bootstrap() {
        return broker.bootstrapServers();
    }
}
