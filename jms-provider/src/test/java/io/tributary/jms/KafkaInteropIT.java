package io.tributary.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One log, two protocols: unmodified kafka-clients and the JMS provider on the same topics, both ways. */
@Timeout(120)
class KafkaInteropIT {
    private static final long RECEIVE_MS = 30_000;

    @RegisterExtension
    static final JmsBroker BROKER = new JmsBroker();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aKafkaProducersRecordIsReceivedAsBytesOrTextWithItsHeadersAsProperties() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("from-kafka"));
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            byte[] raw = {0, 1, 2, (byte) 0xff, 127};
            RecordMetadata first;
            try (KafkaProducer<byte[], byte[]> producer = kafkaProducer()) {
                first = producer.send(new ProducerRecord<>(topic.getTopicName(), null, 1_700_000_000_000L,
                        "key".getBytes(StandardCharsets.UTF_8), raw,
                        List.of(new RecordHeader("traceId", "abc".getBytes(StandardCharsets.UTF_8)),
                                new RecordHeader("not-an-identifier", new byte[] {1})))).get();
                producer.send(new ProducerRecord<>(topic.getTopicName(), null, (byte[]) null, "grüße".getBytes(StandardCharsets.UTF_8),
                        List.of(new RecordHeader("content-type", "text/plain; charset=utf-8".getBytes(StandardCharsets.UTF_8))))).get();
            }

            BytesMessage bytes = (BytesMessage) consumer.receive(RECEIVE_MS);
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            assertThat(body).containsExactly(raw);
            assertThat(bytes.getStringProperty("traceId")).isEqualTo("abc");
            assertThat(bytes.propertyExists("not-an-identifier")).isFalse();
            assertThat(bytes.getJMSTimestamp()).isEqualTo(1_700_000_000_000L);
            assertThat(bytes.getJMSMessageID()).isEqualTo("ID:" + topic.getTopicName() + "-0-" + first.offset());
            assertThat(bytes.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(bytes.getJMSPriority()).isEqualTo(4);
            assertThat(bytes.getJMSDestination()).isEqualTo(topic);
            TextMessage text = (TextMessage) consumer.receive(RECEIVE_MS);
            assertThat(text.getText()).isEqualTo("grüße");
        }
    }

    @Test
    void aJmsMessageIsReadByAnUnmodifiedKafkaConsumerWithPropertiesAsHeaders() throws Exception {
        String name = unique("to-kafka");
        TextMessage sent;
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            sent = session.createTextMessage("hello kafka");
            sent.setIntProperty("count", 5);
            sent.setStringProperty("region", "eu");
            sent.setBooleanProperty("urgent", true);
            sent.setJMSCorrelationID("c-7");
            sent.setJMSType("note");
            // a queue name: sending to a queue appends to the topic of that name
            session.createProducer(session.createQueue(name)).send(sent, DeliveryMode.NON_PERSISTENT, 8, 0);
        }

        ConsumerRecord<byte[], byte[]> record = readOne(name);

        assertThat(record.value()).isEqualTo("hello kafka".getBytes(StandardCharsets.UTF_8));
        assertThat(record.key()).isNull();
        assertThat(record.timestamp()).isEqualTo(sent.getJMSTimestamp());
        Map<String, String> headers = new HashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(headers).containsEntry("count", "5").containsEntry("region", "eu").containsEntry("urgent", "true")
                .containsEntry("jms.body", "text").containsEntry("jms.message.id", sent.getJMSMessageID())
                .containsEntry("jms.correlation.id", "c-7").containsEntry("jms.type", "note")
                .containsEntry("jms.delivery.mode", "NON_PERSISTENT").containsEntry("jms.priority", "8")
                .containsEntry("tributary.priority", "8")
                .doesNotContainKeys("tributary.deliver.at", "tributary.expire.at");
        assertThat(headers.get("jms.property.types").split(",")).containsExactlyInAnyOrder("count:integer", "urgent:boolean");
    }

    @Test
    void delayAndTimeToLiveAreWrittenAsTheHeadersTheBrokerHonours() throws Exception {
        String name = unique("delivery-headers");
        TextMessage sent;
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(name));
            producer.setDeliveryDelay(5_000);
            producer.setTimeToLive(60_000);
            sent = session.createTextMessage("later");
            producer.send(sent);
        }

        ConsumerRecord<byte[], byte[]> record = readOne(name);

        Map<String, String> headers = new HashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(sent.getJMSDeliveryTime()).isEqualTo(sent.getJMSTimestamp() + 5_000);
        assertThat(sent.getJMSExpiration()).isEqualTo(sent.getJMSTimestamp() + 60_000);
        assertThat(headers).containsEntry("tributary.deliver.at", Long.toString(sent.getJMSDeliveryTime()))
                .containsEntry("tributary.expire.at", Long.toString(sent.getJMSExpiration()))
                .doesNotContainKey("tributary.priority");
    }

    private static ConsumerRecord<byte[], byte[]> readOne(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMillis(RECEIVE_MS).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            assertThat(got).hasSize(1);
            return got.get(0);
        }
    }

    private static KafkaProducer<byte[], byte[]> kafkaProducer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
