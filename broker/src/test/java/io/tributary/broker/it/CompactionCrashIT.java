package io.tributary.broker.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL while the log cleaner is rewriting a compacted topic (slowed down by its I/O limit, so the kill lands
 * in the middle of a clean): after a restart on the same directory every key's latest acknowledged value is
 * there, offsets only grow, and the restarted cleaner finishes the job.
 */
@ExtendWith(TributaryExtension.class)
@Timeout(180)
@BrokerProperties({"log.cleaner.backoff.ms=50", "log.cleaner.io.max.bytes.per.second=300000"})
class CompactionCrashIT {
    private static final String TOPIC = "compacted";
    private static final int KEYS = 200;
    private static final int RECORDS = 20_000;

    @Test
    void everyKeysLatestValueSurvivesSigkillDuringCleaning(BrokerProcesses brokers) throws Exception {
        // Given a compacted topic with small segments and 20,000 acknowledged writes to 200 keys
        BrokerProcess first = brokers.start();
        first.awaitStarted(Duration.ofSeconds(30));
        try (Admin admin = Clients.admin(first.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact",
                    "segment.bytes", "65536", "min.cleanable.dirty.ratio", "0.01")))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, String> latest = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(first.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5))) {
            for (int i = 0; i < RECORDS; i++) {
                String key = "key-" + (i % KEYS);
                String value = "value-" + i + "-" + "x".repeat(80);
                producer.send(new ProducerRecord<>(TOPIC, 0, bytes(key), bytes(value)));
                latest.put(key, value);
            }
            producer.flush();
        }

        // When the broker is killed while a cleaned segment is being written, and a new one starts on the directory
        Path partitionDir = brokers.dataDir().resolve(TOPIC + "-0");
        awaitFile(partitionDir, ".cleaned", Duration.ofSeconds(60));
        first.kill();
        assertThat(Files.exists(brokers.dataDir().resolve("clean-shutdown"))).isFalse();
        BrokerProcess second = brokers.start("log.cleaner.io.max.bytes.per.second=1.7976931348623157E308");
        second.awaitStarted(Duration.ofSeconds(30));

        // Then every key's latest value is there, offsets only grow, and the cleaner goes on to remove the rest
        List<ConsumerRecord<byte[], byte[]>> stored = Clients.readAll(second.bootstrapServers(),
                new TopicPartition(TOPIC, 0), Duration.ofSeconds(30));
        assertThat(latestByKey(stored)).isEqualTo(latest);
        for (int i = 1; i < stored.size(); i++) {
            assertThat(stored.get(i).offset()).isGreaterThan(stored.get(i - 1).offset());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stored.size() > RECORDS / 4 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            stored = Clients.readAll(second.bootstrapServers(), new TopicPartition(TOPIC, 0), Duration.ofSeconds(30));
        }
        System.out.printf("%d records written, %d stored after the restart and cleaning%n", RECORDS, stored.size());
        assertThat(stored.size()).isLessThanOrEqualTo(RECORDS / 4);
        assertThat(latestByKey(stored)).isEqualTo(latest);
        assertThat(stored.get(stored.size() - 1).offset()).isEqualTo(RECORDS - 1);
    }

    private static Map<String, String> latestByKey(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, String> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            latest.put(new String(r.key(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8));
        }
        return latest;
    }

    private static void awaitFile(Path dir, String suffix, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.anyMatch(p -> p.getFileName().toString().endsWith(suffix))) {
                        return;
                    }
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + suffix + " file appeared in " + dir + " within " + timeout);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
