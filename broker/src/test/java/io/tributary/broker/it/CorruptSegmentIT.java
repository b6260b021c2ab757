package io.tributary.broker.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes flipped inside the CRC of a batch in a closed segment of a running broker: the scrubber reports it with
 * one ERROR line, and a real KafkaConsumer reading from the start gets the batches before it and then an error
 * (CORRUPT_MESSAGE) for the damaged one, never the damaged data nor silently the batches after it; a consumer
 * starting in a later segment reads on (decision 0018).
 */
@ExtendWith(TributaryExtension.class)
@Timeout(180)
@BrokerProperties({"log.scrubber.interval.ms=200"})
class CorruptSegmentIT {
    private static final String TOPIC = "scrubbed";

    @Test
    void aDamagedBatchIsAnsweredWithAnErrorNotServedOrSkipped(BrokerProcesses brokers) throws Exception {
        BrokerProcess broker = brokers.start();
        broker.awaitStarted(Duration.ofSeconds(30));
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("segment.bytes", "1024"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // one record per batch (acks=all, sent one at a time), so the first segment holds several batches
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < 40; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, ("value-" + i + "-" + "x".repeat(60))
                        .getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
        }
        Path segment = brokers.dataDir().resolve(TOPIC + "-0").resolve("00000000000000000000.log");
        long secondBatch;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(4);
            ch.read(len, 8);
            secondBatch = 12 + len.getInt(0);
            ByteBuffer b = ByteBuffer.allocate(3);
            ch.read(b, secondBatch + 70); // record bytes, inside the CRC
            for (int i = 0; i < 3; i++) {
                b.put(i, (byte) (b.get(i) ^ 0x5A));
            }
            b.flip();
            ch.write(b, secondBatch + 70);
        }
        awaitOutput(broker, "Damaged data in " + segment, Duration.ofSeconds(60));
        assertThat(broker.output().stream().filter(l -> l.contains("Damaged data in")).count()).isEqualTo(1);

        List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
        KafkaException error = null;
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (error == null && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200)).records(tp).forEach(received::add);
                } catch (KafkaException e) {
                    error = e;
                }
            }
            assertThat(error).as("the consumer is told").isNotNull();
            System.out.println("Consumer error: " + error);
            assertThat(received).extracting(ConsumerRecord::offset).containsExactly(0L);

            // a consumer positioned after the damaged segment reads on
            consumer.seek(tp, 30);
            List<ConsumerRecord<byte[], byte[]>> later = new ArrayList<>();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (later.size() < 10 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).records(tp).forEach(later::add);
            }
            assertThat(later).extracting(ConsumerRecord::offset).startsWith(30L).hasSize(10);
        }

        // kcat (librdkafka, which does not check CRCs by default) gets offset 0 and nothing from the damaged batch on
        if (new java.io.File("/usr/bin/kcat").canExecute()) {
            Process kcat = new ProcessBuilder("kcat", "-C", "-b", broker.bootstrapServers(), "-t", TOPIC, "-p", "0",
                    "-o", "beginning", "-c", "3", "-f", "offset %o\\n").redirectErrorStream(true).start();
            boolean exited = kcat.waitFor(20, TimeUnit.SECONDS);
            if (!exited) {
                kcat.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            List<String> lines = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            System.out.println("kcat: " + lines);
            assertThat(lines.stream().filter(l -> l.startsWith("offset ")).toList()).containsExactly("offset 0");
        }
    }

    /**
     * The base offset (outside the CRC) of the last batch of a closed segment is hit while the broker is down;
     * after a kill -9 and again after a clean stop, the restarted broker keeps that segment and every later
     * one: one ERROR line names the range, a consumer reads every record before it, is told (CORRUPT_MESSAGE)
     * at the damaged offset, and reads every record after it.
     */
    @Test
    void aHeaderHitInAnOlderSegmentSurvivesRestartsAsAnErrorNotALoss(BrokerProcesses brokers) throws Exception {
        String topic = "restarted";
        BrokerProcess broker = brokers.start("log.scrubber.enable=false");
        broker.awaitStarted(Duration.ofSeconds(30));
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("segment.bytes", "1024"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < 40; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("value-" + i + "-" + "x".repeat(60))
                        .getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
        }
        broker.terminate();
        broker.awaitExit(Duration.ofSeconds(30));

        // the last batch of the first segment: walk the batch lengths
        Path segment = brokers.dataDir().resolve(topic + "-0").resolve("00000000000000000000.log");
        long damagedOffset;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long last = 0;
            ByteBuffer header = ByteBuffer.allocate(12);
            for (long pos = 0; pos < ch.size(); ) {
                header.clear();
                ch.read(header, pos);
                last = pos;
                pos += 12 + header.getInt(8);
            }
            header.clear();
            ch.read(header, last);
            damagedOffset = header.getLong(0);
            ch.write(ByteBuffer.allocate(8).putLong(0, damagedOffset | (1L << 40)), last);
        }
        assertThat(damagedOffset).as("the first segment holds several batches").isGreaterThan(2);

        for (boolean kill : new boolean[] {true, false}) {
            BrokerProcess restarted = brokers.start("log.scrubber.enable=false");
            restarted.awaitStarted(Duration.ofSeconds(30));
            awaitOutput(restarted, "Damaged data in " + segment, Duration.ofSeconds(30));
            assertThat(restarted.output().stream().filter(l -> l.contains("Damaged data in") && l.contains("ERROR")
                    && l.contains("offsets " + damagedOffset + ".." + damagedOffset)).count()).isEqualTo(1);

            TopicPartition tp = new TopicPartition(topic, 0);
            try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(restarted.bootstrapServers())) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, 0);
                List<ConsumerRecord<byte[], byte[]>> before = new ArrayList<>();
                KafkaException error = pollUntilError(consumer, tp, before);
                assertThat(error).as("the consumer is told").isNotNull()
                        .hasMessageContaining("offset " + damagedOffset);
                assertThat(before).extracting(ConsumerRecord::offset)
                        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, damagedOffset).boxed().toList());

                consumer.seek(tp, damagedOffset + 1);
                List<ConsumerRecord<byte[], byte[]>> after = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (after.size() < 39 - damagedOffset && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).records(tp).forEach(after::add);
                }
                assertThat(after).extracting(ConsumerRecord::offset).containsExactlyElementsOf(
                        java.util.stream.LongStream.range(damagedOffset + 1, 40).boxed().toList());
            }
            if (kill) {
                restarted.kill();
            } else {
                restarted.terminate();
                restarted.awaitExit(Duration.ofSeconds(30));
            }
        }
    }

    /** Polls from the consumer's position until a poll throws; returns that exception (null after 60 s). */
    private static KafkaException pollUntilError(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp,
                                                 List<ConsumerRecord<byte[], byte[]>> received) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                consumer.poll(Duration.ofMillis(200)).records(tp).forEach(received::add);
            } catch (KafkaException e) {
                System.out.println("Consumer error: " + e);
                return e;
            }
        }
        return null;
    }

    private static void awaitOutput(BrokerProcess broker, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (broker.output().stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line with '" + text + "' within " + timeout + ": " + broker.output());
    }
}
