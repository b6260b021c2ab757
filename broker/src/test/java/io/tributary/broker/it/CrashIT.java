package io.tributary.broker.it;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL in the middle of an acks=all stream with {@code log.flush.policy=sync}: after a restart on the
 * same directory every acknowledged record is at its offset and the partition reads back whole.
 */
@ExtendWith(TributaryExtension.class)
@Timeout(120)
@BrokerProperties("log.flush.policy=sync")
class CrashIT {
    private static final String TOPIC = "crash";

    @Test
    void acknowledgedRecordsSurviveSigkill(BrokerProcesses brokers) throws Exception {
        // Given a broker child process and an acks=all producer recording what was acknowledged
        BrokerProcess first = brokers.start();
        first.awaitStarted(Duration.ofSeconds(30));
        Map<Long, Long> acknowledged = new ConcurrentSkipListMap<>(); // offset -> value
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread producerThread = new Thread(() -> produce(first.bootstrapServers(), acknowledged, sending), "crash-producer");
        producerThread.start();
        awaitAcknowledged(acknowledged, 2_000, Duration.ofSeconds(30));

        // When the broker is killed mid-stream and a new one starts on the same data directory
        first.kill();
        sending.set(false);
        producerThread.join(30_000);
        assertThat(Files.exists(brokers.dataDir().resolve("clean-shutdown"))).isFalse();
        BrokerProcess second = brokers.start();
        second.awaitStarted(Duration.ofSeconds(30));

        // Then every acknowledged record is at its offset; all offsets are dense and every batch's CRC checks out
        List<ConsumerRecord<byte[], byte[]>> stored = Clients.readAll(second.bootstrapServers(),
                new TopicPartition(TOPIC, 0), Duration.ofSeconds(30));
        assertThat(acknowledged).isNotEmpty();
        System.out.printf("acknowledged %d records (last offset %d); %d stored after the restart%n",
                acknowledged.size(), ((ConcurrentSkipListMap<Long, Long>) acknowledged).lastKey(), stored.size());
        long lastAcknowledged = ((ConcurrentSkipListMap<Long, Long>) acknowledged).lastKey();
        assertThat((long) stored.size()).as("records after restart").isGreaterThan(lastAcknowledged);
        for (int i = 0; i < stored.size(); i++) {
            assertThat(stored.get(i).offset()).as("offset of record %d", i).isEqualTo(i);
        }
        for (Map.Entry<Long, Long> ack : acknowledged.entrySet()) {
            ConsumerRecord<byte[], byte[]> record = stored.get(ack.getKey().intValue());
            assertThat(ByteBuffer.wrap(record.value()).getLong()).as("value at offset %d", ack.getKey())
                    .isEqualTo(ack.getValue());
        }
        // values were sent in increasing order from one producer, so the stored ones must be too
        for (int i = 1; i < stored.size(); i++) {
            assertThat(ByteBuffer.wrap(stored.get(i).value()).getLong())
                    .isGreaterThan(ByteBuffer.wrap(stored.get(i - 1).value()).getLong());
        }
    }

    private static void produce(String bootstrap, Map<Long, Long> acknowledged, AtomicBoolean sending) {
        Map<String, Object> settings = Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000, ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 1 << 20);
        KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, settings);
        try {
            for (long value = 0; sending.get(); value++) {
                long v = value;
                byte[] bytes = ByteBuffer.allocate(Long.BYTES + 100).putLong(v).array();
                try {
                    producer.send(new ProducerRecord<>(TOPIC, 0, null, bytes), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.put(metadata.offset(), v);
                        }
                    });
                } catch (RuntimeException e) {
                    return; // the broker is gone: metadata or buffer wait timed out
                }
            }
        } finally {
            producer.close(Duration.ofSeconds(10));
        }
    }

    private static void awaitAcknowledged(Map<Long, Long> acknowledged, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(acknowledged.size()).as("acknowledged before the kill").isGreaterThanOrEqualTo(count);
    }
}
