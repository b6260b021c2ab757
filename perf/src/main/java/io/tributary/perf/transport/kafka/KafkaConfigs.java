package io.tributary.perf.transport.kafka;

import io.tributary.perf.transport.ConsumerSettings;
import io.tributary.perf.transport.ProducerSettings;
import java.util.Properties;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Maps the protocol-neutral settings onto kafka-clients configuration. */
final class KafkaConfigs {

    private KafkaConfigs() {
    }

    /** Producer config: neutral settings (and the transactional id, if any) first, then {@code common}, then the settings' extras. */
    static Properties producer(String bootstrap, Map<String, String> common, ProducerSettings s) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, switch (s.acks()) {
            case NONE -> "0";
            case LEADER -> "1";
            case ALL -> "all";
        });
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(s.idempotent()));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, s.compression());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(s.batchBytes()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(s.lingerMs()));
        if (s.transactionalId() != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, s.transactionalId());
        }
        p.putAll(common);
        p.putAll(s.extra());
        return p;
    }

    /** Consumer config: byte-array values, no auto commit (a benchmark needs no offsets). */
    static Properties consumer(String bootstrap, Map<String, String> common, ConsumerSettings s) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                s.start() == ConsumerSettings.StartPosition.EARLIEST ? "earliest" : "latest");
        if (s.group() != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, s.group());
        }
        p.putAll(common);
        p.putAll(s.extra());
        return p;
    }
}
