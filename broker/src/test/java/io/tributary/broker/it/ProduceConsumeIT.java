package io.tributary.broker.it;

import io.tributary.broker.Broker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Unmodified KafkaProducer / KafkaConsumer round trips: every acks mode and every compression codec. */
@ExtendWith(TributaryExtension.class)
@Timeout(60)
class ProduceConsumeIT {
    private static final int RECORDS = 300;
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    @ParameterizedTest(name = "acks={0} idempotence={1} compression={2}")
    @CsvSource({
            // the producer's defaults: idempotent, acks=all, no compression
            "default, default, none",
            "0,       false,   none",
            "1,       false,   none",
            "all,     false,   none",
            "all,     true,    none",
            "default, default, gzip",
            "default, default, snappy",
            "default, default, lz4",
            "default, default, zstd",
    })
    void recordsComeBackByteIdenticalAtDenseOffsets(String acks, String idempotence, String compression, Broker broker)
            throws Exception {
        // Given a producer with these settings (everything else at the client's defaults)
        String topic = "round-trip-" + acks + "-" + compression;
        Map<String, Object> settings = new HashMap<>();
        if (!acks.equals("default")) {
            settings.put(ProducerConfig.ACKS_CONFIG, acks);
        }
        if (!idempotence.equals("default")) {
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence);
        }
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        List<ProducerRecord<byte[], byte[]>> sent = records(topic);

        // When they are sent and read back with assign + seek
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), settings)) {
            for (ProducerRecord<byte[], byte[]> record : sent) {
                acknowledgements.add(producer.send(record));
            }
            producer.flush();
        }
        List<ConsumerRecord<byte[], byte[]>> read = Clients.readCount(broker.bootstrapServers(),
                new TopicPartition(topic, 0), RECORDS, Duration.ofSeconds(20));

        // Then each record is there, in order, at offsets 0..n-1, with the same key, value, headers, timestamp
        assertThat(read).hasSize(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            ProducerRecord<byte[], byte[]> expected = sent.get(i);
            ConsumerRecord<byte[], byte[]> actual = read.get(i);
            assertThat(actual.offset()).as("offset of record %d", i).isEqualTo(i);
            assertThat(actual.key()).as("key of record %d", i).isEqualTo(expected.key());
            assertThat(actual.value()).as("value of record %d", i).isEqualTo(expected.value());
            assertThat(actual.timestamp()).as("timestamp of record %d", i).isEqualTo(expected.timestamp());
            assertThat(headers(actual.headers())).as("headers of record %d", i).isEqualTo(headers(expected.headers()));
        }
        if (!acks.equals("0")) {
            for (int i = 0; i < RECORDS; i++) {
                assertThat(acknowledgements.get(i).get().offset()).as("acknowledged offset of record %d", i).isEqualTo(i);
            }
        }
    }

    /** A mix: null and non-null keys, empty and 10 KiB values, zero to two headers (one with a null value). */
    private static List<ProducerRecord<byte[], byte[]>> records(String topic) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            byte[] key = i % 7 == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = new byte[i % 50 == 0 ? 10_240 : i % 3];
            for (int b = 0; b < value.length; b++) {
                value[b] = (byte) (i * 31 + b);
            }
            List<Header> headers = new ArrayList<>();
            if (i % 2 == 0) {
                headers.add(new RecordHeader("trace", ("t" + i).getBytes(StandardCharsets.UTF_8)));
            }
            if (i % 5 == 0) {
                headers.add(new RecordHeader("empty", null));
            }
            records.add(new ProducerRecord<>(topic, 0, BASE_TIMESTAMP + i, key, value, headers));
        }
        return records;
    }

    private static List<String> headers(Iterable<Header> headers) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            out.add(h.key() + "=" + (h.value() == null ? "null" : new String(h.value(), StandardCharsets.ISO_8859_1)));
        }
        return out;
    }
}
