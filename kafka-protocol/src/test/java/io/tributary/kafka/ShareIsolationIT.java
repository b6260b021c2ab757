package io.tributary.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code share.isolation.level} through kafka-clients' KafkaShareConsumer: a read_committed group is handed
 * records below the last stable offset only and never an aborted one; neither level is handed a commit or
 * abort marker. Offsets: 0 c1, 1 commit marker, 2 a1 (aborted), 3 abort marker, 4 open1 (committed later),
 * 5 plain (not transactional), 6 commit marker.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShareIsolationIT {
    private static final String TOPIC = "isolated";

    @TempDir
    Path dir;

    @Test
    void readCommittedGroupsSeeCommittedRecordsBelowTheStableOffsetAndNoGroupSeesMarkers() throws Exception {
        try (TestBroker broker = TestBroker.start(dir);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            configure(admin, "committed-group", Map.of("share.auto.offset.reset", "earliest",
                    "share.isolation.level", "read_committed"));
            configure(admin, "uncommitted-group", Map.of("share.auto.offset.reset", "earliest"));

            try (KafkaProducer<String, String> txn = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "share-isolation-1",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000"), new StringSerializer(), new StringSerializer());
                 KafkaProducer<String, String> plain = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer());
                 KafkaShareConsumer<String, String> committed = consumer(broker, "committed-group");
                 KafkaShareConsumer<String, String> uncommitted = consumer(broker, "uncommitted-group")) {
                txn.initTransactions();
                txn.beginTransaction();
                txn.send(new ProducerRecord<>(TOPIC, 0, "k", "c1")).get(30, TimeUnit.SECONDS);
                txn.commitTransaction();
                txn.beginTransaction();
                txn.send(new ProducerRecord<>(TOPIC, 0, "k", "a1")).get(30, TimeUnit.SECONDS);
                txn.abortTransaction();
                txn.beginTransaction();
                txn.send(new ProducerRecord<>(TOPIC, 0, "k", "open1")).get(30, TimeUnit.SECONDS);
                plain.send(new ProducerRecord<>(TOPIC, 0, "k", "plain")).get(30, TimeUnit.SECONDS);

                committed.subscribe(List.of(TOPIC));
                uncommitted.subscribe(List.of(TOPIC));
                // read_uncommitted: every data record, the open transaction's too, no marker
                assertThat(pollUntil(uncommitted, 4, 60_000)).containsExactly("0:c1", "2:a1", "4:open1", "5:plain");
                // read_committed: only what is below the last stable offset (4), without the aborted record
                assertThat(pollUntil(committed, 1, 60_000)).containsExactly("0:c1");
                assertThat(pollUntil(committed, 1, 3_000)).as("nothing at or past the stable offset").isEmpty();

                txn.commitTransaction();

                assertThat(pollUntil(committed, 2, 60_000)).containsExactly("4:open1", "5:plain");
                assertThat(pollUntil(uncommitted, 1, 3_000)).as("the commit marker is not handed out").isEmpty();
                assertThat(pollUntil(committed, 1, 3_000)).as("nothing is handed out twice").isEmpty();
            }
        }
    }

    private static void configure(Admin admin, String group, Map<String, String> configs) throws Exception {
        List<AlterConfigOp> ops = new ArrayList<>();
        configs.forEach((name, value) -> ops.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET)));
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops))
                .all().get(30, TimeUnit.SECONDS);
    }

    private static KafkaShareConsumer<String, String> consumer(TestBroker broker, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Polls (acknowledging implicitly) until {@code count} records came or {@code ms} passed; "offset:value". */
    private static List<String> pollUntil(KafkaShareConsumer<String, String> consumer, int count, long ms) {
        List<String> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + ms;
        while (got.size() < count && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                got.add(r.offset() + ":" + r.value());
            }
        }
        return got;
    }
}
