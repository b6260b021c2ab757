package io.tributary.jms;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    /**
     * A member whose poll, when its client holds nothing, waits for its whole timeout as a share consumer with an
     * armed fetch does when no record comes for it; it counts the acknowledgements sent on their own.
     */
    private static final class Member extends MockShareConsumer<byte[], byte[]> {
        final CountDownLatch waiting = new CountDownLatch(1);
        final AtomicInteger commitAsyncs = new AtomicInteger();

        Member() {
            subscribe(List.of("q"));
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(Duration.ZERO);
            if (!records.isEmpty() || timeout.isZero()) {
                return records;
            }
            waiting.countDown();
            try {
                Thread.sleep(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.poll(Duration.ZERO);
        }

        @Override
        public synchronized void commitAsync() {
            commitAsyncs.incrementAndGet();
            super.commitAsync();
        }
    }

    @Test
    void aRecordAnotherArmedMemberTookIsHandedOutWithinASliceOfTheWait() throws Exception {
        // Given an auto-acknowledging receiver whose first member's poll is handed out and accepted, and whose
        // second member, opened to fetch ahead, has its fetch armed
        Member first = new Member();
        Member second = new Member();
        ArrayDeque<ShareConsumer<byte[], byte[]>> members = new ArrayDeque<>(List.of(first, second));
        ShareReceiver receiver = new ShareReceiver(members::poll, 1);
        first.addRecord(record(0));
        assertThat(receiver.next(0).offset()).isZero();
        receiver.settle(AcknowledgeType.ACCEPT, false);

        // When a receive waits (on the second member, armed longest) and the broker hands the next record to the
        // first member's fetch, armed again by that receive
        CompletableFuture<ConsumerRecord<byte[], byte[]>> next = CompletableFuture.supplyAsync(() -> {
            try {
                return receiver.next(60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(second.waiting.await(30, TimeUnit.SECONDS)).as("the receive waits on the second member").isTrue();
        first.addRecord(record(1));

        // Then the receive returns it within a slice of its wait, not when the second member's poll ends (60 s)
        ConsumerRecord<byte[], byte[]> handedOut = next.get(30, TimeUnit.SECONDS);
        assertThat(handedOut.offset()).isEqualTo(1);
    }

    @Test
    void acceptsOfAPollAllHandedOutRideOnTheMembersNextPollWhenNoOtherMemberServes() throws Exception {
        // Given a receiver with one member whose poll of one record is handed out
        Member only = new Member();
        ShareReceiver receiver = new ShareReceiver(() -> only, 0);
        only.addRecord(record(0));
        assertThat(receiver.next(0).offset()).isZero();

        // When it is accepted without waiting
        receiver.settle(AcknowledgeType.ACCEPT, false);

        // Then no ShareAcknowledge goes ahead of the member's next fetch (kafka-clients would hold that fetch back
        // until it is answered): the accept is held back, and the next poll carries it
        assertThat(only.commitAsyncs).hasValue(0);
        assertThat(receiver.holdsBack()).isTrue();
        assertThat(receiver.next(0)).isNull();
        assertThat(receiver.holdsBack()).as("sent by the poll").isFalse();
        assertThat(only.commitAsyncs).hasValue(0);
    }

    @Test
    void acceptsOfAPollAllHandedOutGoAtOnceWhenAnotherMembersFetchIsArmed() throws Exception {
        // Given an auto-acknowledging receiver whose second member fetches ahead (armed) while the first member's
        // single record is handed out
        Member first = new Member();
        Member second = new Member();
        ArrayDeque<ShareConsumer<byte[], byte[]>> members = new ArrayDeque<>(List.of(first, second));
        ShareReceiver receiver = new ShareReceiver(members::poll, 1);
        first.addRecord(record(0));
        assertThat(receiver.next(0).offset()).isZero();

        // When it is accepted without waiting
        receiver.settle(AcknowledgeType.ACCEPT, false);

        // Then the accept goes at once on its own, so that the armed member's fetch, which serves the next receive,
        // carries no acknowledgement for the broker to write before it answers
        assertThat(first.commitAsyncs).hasValue(1);
        assertThat(receiver.holdsBack()).isFalse();
    }
}
