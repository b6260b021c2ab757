package io.tributary.kafka;

import io.tributary.transactions.HalfError;
import io.tributary.transactions.HalfMessage;
import io.tributary.transactions.HalfOutcome;
import io.tributary.transactions.HalfTransactionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Half messages as unmodified kafka-clients 4.4 see them, driven through the broker's coordinator
 * (the wire APIs and the client are tested in HalfWireIT and TransactionProducerIT): invisible to a read_uncommitted consumer until
 * committed, never visible after a rollback, and the state kept across a broker restart.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HalfMessagesIT {
    private static final String TOPIC = "half-target";

    @TempDir
    Path dir;

    @Test
    void halfMessagesAreInvisibleUntilCommittedAndSurviveARestart() throws Exception {
        TestBroker broker = TestBroker.start(dir);
        int port = broker.port();
        try {
            broker.log().createTopic(TOPIC, 1, Map.of());
            await(broker.halfTransactions().sendHalf("g", "kept", TOPIC, 0, message("kept")));
            await(broker.halfTransactions().sendHalf("g", "dropped", TOPIC, 0, message("dropped")));
            produce(port, "plain-1");

            // a read_uncommitted consumer reads past the half messages' time and sees only the plain record
            assertThat(readUncommitted(port, 1)).containsExactly("plain-1");

            await(broker.halfTransactions().end("g", "dropped", HalfOutcome.ROLLBACK));
        } finally {
            broker.close();
        }

        TestBroker restarted = TestBroker.start(dir, port);
        try {
            assertThatThrownBy(() -> await(restarted.halfTransactions().end("g", "dropped", HalfOutcome.COMMIT)))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(HalfTransactionException.class)
                    .satisfies(e -> assertThat(((HalfTransactionException) e).error()).isEqualTo(HalfError.ALREADY_DECIDED));

            await(restarted.halfTransactions().end("g", "kept", HalfOutcome.COMMIT));
            produce(port, "plain-2");

            assertThat(readUncommitted(port, 3)).containsExactly("plain-1", "kept", "plain-2");
        } finally {
            restarted.close();
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    private static HalfMessage message(String value) {
        return new HalfMessage(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8), List.of());
    }

    private static void produce(int port, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, 0, null, value)).get(60, TimeUnit.SECONDS);
        }
    }

    /** Reads from the beginning until {@code expected} records came, then for half a second more. */
    private static List<String> readUncommitted(int port, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                values.add(r.value());
            }
        }
        return values;
    }
}
