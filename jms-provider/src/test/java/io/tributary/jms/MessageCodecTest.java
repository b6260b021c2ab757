package io.tributary.jms;

import io.tributary.jms.message.TributaryMapMessage;
import io.tributary.jms.message.TributaryMessage;
import io.tributary.jms.message.TributaryTextMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MapMessage;
import jakarta.jms.TextMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/jms-mapping.md without a broker: a message to headers and value, and back. */
class MessageCodecTest {
    private static ConsumerRecord<byte[], byte[]> record(RecordHeaders headers, byte[] value) {
        return new ConsumerRecord<>("t", 2, 41L, 1_234L, TimestampType.CREATE_TIME, -1, -1, null, value, headers,
                Optional.empty());
    }

    @Test
    void aMessageSurvivesItsRecordForm() throws Exception {
        TributaryTextMessage sent = new TributaryTextMessage();
        sent.setText("body");
        sent.setJMSMessageID("ID:x:1");
        sent.setJMSTimestamp(1_000L);
        sent.setJMSCorrelationIDAsBytes(new byte[] {1, 2});
        sent.setJMSReplyTo(new TributaryTemporaryQueue("jms.temp.a.1", null));
        sent.setJMSType("t1");
        sent.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        sent.setJMSPriority(9);
        sent.setJMSExpiration(99_999L);
        sent.setShortProperty("s", (short) -2);
        sent.setStringProperty("nothing", null);

        RecordHeaders headers = MessageCodec.headers(sent);
        TextMessage got = (TextMessage) MessageCodec.message(record(headers, sent.encodeBody()), new TributaryTopic("t"));

        assertThat(got.getText()).isEqualTo("body");
        assertThat(got.getJMSMessageID()).isEqualTo("ID:x:1");
        assertThat(got.getJMSCorrelationIDAsBytes()).containsExactly(1, 2);
        assertThat(got.getJMSReplyTo()).isEqualTo(new TributaryTemporaryQueue("jms.temp.a.1", null));
        assertThat(got.getJMSType()).isEqualTo("t1");
        assertThat(got.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(got.getJMSPriority()).isEqualTo(9);
        assertThat(got.getJMSExpiration()).isEqualTo(99_999L);
        assertThat(got.getJMSTimestamp()).isEqualTo(1_234L);
        assertThat(got.getObjectProperty("s")).isEqualTo((short) -2);
        assertThat(got.propertyExists("nothing")).isTrue();
        assertThat(got.getStringProperty("nothing")).isNull();
    }

    @Test
    void aMessageSentWithoutIdAndTimestampIsReceivedWithoutThem() throws Exception {
        // Given a message whose producer disabled message IDs and timestamps
        TributaryTextMessage sent = new TributaryTextMessage();
        sent.setText("bare");

        // When it goes through its record form (the record keeps its send time, 1234)
        RecordHeaders headers = MessageCodec.headers(sent);
        TextMessage got = (TextMessage) MessageCodec.message(record(headers, sent.encodeBody()), new TributaryTopic("t"));

        // Then the consumer gets no ID and timestamp 0, as the producer's message has
        assertThat(got.getJMSMessageID()).isNull();
        assertThat(got.getJMSTimestamp()).isZero();
    }

    @Test
    void aBareKafkaRecordIsABytesMessageWithDefaults() throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("jms.priority", "not a number".getBytes(StandardCharsets.UTF_8));
        headers.add("count", "7".getBytes(StandardCharsets.UTF_8));
        TributaryMessage got = MessageCodec.message(record(headers, new byte[] {9}), new TributaryTopic("t"));

        assertThat(got.bodyType()).isEqualTo("bytes");
        assertThat(got.getJMSMessageID()).isEqualTo("ID:t-2-41");
        assertThat(got.getJMSPriority()).as("a malformed header falls back to the default").isEqualTo(4);
        assertThat(got.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(got.getObjectProperty("count")).as("an untyped header is a String property").isEqualTo("7");
        assertThat(got.getIntProperty("count")).isEqualTo(7);
    }

    @Test
    void aMalformedTypeListLeavesTheValueAString() throws Exception {
        TributaryMapMessage map = new TributaryMapMessage();
        map.setInt("k", 1);
        RecordHeaders headers = MessageCodec.headers(map);
        headers.add("n", "x".getBytes(StandardCharsets.UTF_8));
        headers.remove("jms.property.types");
        headers.add("jms.property.types", "n:integer,,broken".getBytes(StandardCharsets.UTF_8));
        TributaryMessage got = MessageCodec.message(record(headers, map.encodeBody()), new TributaryTopic("t"));

        assertThat(((MapMessage) got).getInt("k")).isEqualTo(1);
        assertThat(got.getObjectProperty("n")).isEqualTo("x");
    }
}
