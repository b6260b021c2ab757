package io.tributary.jms;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ShareReceiverTest {
    private static ConsumerRecord<byte[], byte[]> withPriority(String value) {
        RecordHeaders headers = new RecordHeaders();
        if (value != null) {
            headers.add(MessageCodec.BROKER_PRIORITY, value.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>("q", 0, 0L, 0L, TimestampType.CREATE_TIME, 0, 0, null, new byte[0], headers,
                Optional.empty(), Optional.of((short) 1));
    }

    @Test
    void readsThePriorityAsTheDeliveryEngineDoes() {
        assertThat(ShareReceiver.priority(withPriority(null))).as("no header: the default").isEqualTo(4);
        assertThat(ShareReceiver.priority(withPriority("9"))).isEqualTo(9);
        assertThat(ShareReceiver.priority(withPriority("0"))).isEqualTo(0);
        assertThat(ShareReceiver.priority(withPriority("12"))).as("clamped").isEqualTo(9);
        assertThat(ShareReceiver.priority(withPriority("123456789012"))).as("clamped, no overflow").isEqualTo(9);
        assertThat(ShareReceiver.priority(withPriority("-3"))).as("clamped").isEqualTo(0);
        assertThat(ShareReceiver.priority(withPriority("high"))).as("not a number: the default").isEqualTo(4);
        assertThat(ShareReceiver.priority(withPriority(""))).isEqualTo(4);
    }
}
