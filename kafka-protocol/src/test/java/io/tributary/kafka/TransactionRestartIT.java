package io.tributary.kafka;

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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A transaction open across a broker restart, driven by an unmodified kafka-clients 4.4 producer. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionRestartIT {
    @TempDir
    Path dir;

    @Test
    void transactionOpenAcrossARestartCommitsAfterIt() throws Exception {
        // Given a broker on a fixed port and a producer with a transaction holding one record
        TestBroker broker = TestBroker.start(dir);
        int port = broker.port();
        broker.log().createTopic("tx-restart", 1, Map.of());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-restart-1");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-restart", 0, "k", "before")).get();

            // When the broker stops and starts again on the same directory and port
            broker.close();
            broker = TestBroker.start(dir, port);
            try {
                // Then the producer goes on in the same transaction and commits it
                producer.send(new ProducerRecord<>("tx-restart", 0, "k", "after")).get(60, TimeUnit.SECONDS);
                producer.commitTransaction();
                assertThat(readCommitted(port, 2)).containsExactly("before", "after");
            } finally {
                broker.close();
            }
        }
    }

    private static List<String> readCommitted(int port, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("tx-restart", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
