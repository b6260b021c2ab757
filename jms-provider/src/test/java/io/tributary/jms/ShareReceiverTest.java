package io.tributary.jms;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
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

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return new ConsumerRecord<>("q", 0, offset, 0L, TimestampType.CREATE_TIME, 0, 0, null, new byte[0],
                new RecordHeaders(), Optional.empty(), Optional.of((short) 1));
    }

    private static MockShareConsumer<byte[], byte[]> member() {
        MockShareConsumer<byte[], byte[]> m = new MockShareConsumer<>();
        m.subscribe(List.of("q"));
        return m;
    }

    @Test
    void recordsAMemberAcquiredBehindItsLastPollAreHandedOutWhileAnotherMemberWaits() throws Exception {
        // Given an auto-acknowledging receiver (one member fetching ahead) whose first member's poll is handed out
        // and accepted, while its second member's fetch is armed (its poll returned nothing)
        MockShareConsumer<byte[], byte[]> first = member();
        MockShareConsumer<byte[], byte[]> second = member();
        ArrayDeque<ShareConsumer<byte[], byte[]>> members = new ArrayDeque<>(List.of(first, second));
        ShareReceiver receiver = new ShareReceiver(members::poll, 1);
        first.addRecord(record(0));
        assertThat(receiver.next(0).offset()).isZero();
        receiver.settle(AcknowledgeType.ACCEPT, false);
        assertThat(members).as("the second member was opened to fetch ahead").isEmpty();

        // When the first member's client holds a record acquired behind that poll (a fetch armed as it answered)
        first.addRecord(record(1));

        // Then the next receive hands it out, rather than waiting on the second member until its lock expires
        ConsumerRecord<byte[], byte[]> next = receiver.next(0);
        assertThat(next).isNotNull();
        assertThat(next.offset()).isEqualTo(1);
    }
}
