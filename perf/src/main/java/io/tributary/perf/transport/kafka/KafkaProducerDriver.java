package io.tributary.perf.transport.kafka;

import io.tributary.perf.transport.ProducerDriver;
import io.tributary.perf.transport.SendListener;
import io.tributary.perf.transport.SendSlot;
import io.tributary.perf.transport.TransportException;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * A {@link KafkaProducer} of byte arrays. {@code KafkaProducer.send} serializes the record into
 * its batch before returning, which is what lets callers reuse their key and value arrays. The
 * {@link ProducerRecord} per send is kafka-clients' API and cannot be avoided here. With a
 * {@code transactional.id} the constructor runs {@code initTransactions()} (fencing an older
 * producer of the same id), so that the first transaction does not pay for it.
 */
final class KafkaProducerDriver implements ProducerDriver {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    KafkaProducerDriver(Properties config, String topic) {
        this.producer = new KafkaProducer<>(config);
        this.topic = topic;
        if (config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null) {
            try {
                producer.initTransactions();
            } catch (KafkaException e) {
                producer.close(Duration.ZERO);
                throw new TransportException("initTransactions failed for transactional.id "
                        + config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG), e);
            }
        }
    }

    @Override
    public SendSlot newSlot(SendListener listener) {
        return new KafkaSendSlot(listener);
    }

    @Override
    public void send(byte[] key, byte[] value, SendSlot slot) {
        producer.send(new ProducerRecord<>(topic, key, value), (KafkaSendSlot) slot);
    }

    @Override
    public void beginTransaction() {
        producer.beginTransaction();
    }

    @Override
    public void commitTransaction() {
        try {
            producer.commitTransaction();
        } catch (KafkaException e) {
            throw new TransportException("commitTransaction failed", e);
        }
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
