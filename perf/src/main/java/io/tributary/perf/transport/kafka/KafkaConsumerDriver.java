package io.tributary.perf.transport.kafka;

import io.tributary.perf.transport.ConsumerDriver;
import io.tributary.perf.transport.ConsumerSettings;
import io.tributary.perf.transport.RecordHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link KafkaConsumer} of byte arrays: subscribed through its group, or, without a group,
 * assigned its share of the partitions by hand and positioned at the start or the end.
 */
final class KafkaConsumerDriver implements ConsumerDriver {

    private static final Duration STEP = Duration.ofMillis(100);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ConsumerSettings settings;
    private boolean positioned;

    KafkaConsumerDriver(Properties config, ConsumerSettings settings) {
        this.consumer = new KafkaConsumer<>(config);
        this.settings = settings;
        if (settings.group() != null) {
            consumer.subscribe(List.of(settings.topic()));
        }
    }

    @Override
    public boolean awaitAssignment(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (settings.group() == null) {
            assignByHand(timeout);
            positioned = true;
            return true;
        }
        // joining happens inside poll(); records polled meanwhile are not lost: seek back to them
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            ConsumerRecords<byte[], byte[]> early = consumer.poll(STEP);
            if (!early.isEmpty()) {
                for (TopicPartition tp : early.partitions()) {
                    consumer.seek(tp, early.records(tp).get(0).offset());
                }
            }
        }
        positioned = true;
        return true;
    }

    private void assignByHand(Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(), timeout);
        List<TopicPartition> mine = new ArrayList<>();
        for (PartitionInfo info : infos) {
            if (info.partition() % settings.memberCount() == settings.memberIndex()) {
                mine.add(new TopicPartition(settings.topic(), info.partition()));
            }
        }
        consumer.assign(mine);
        if (settings.start() == ConsumerSettings.StartPosition.EARLIEST) {
            consumer.seekToBeginning(mine);
        } else {
            consumer.seekToEnd(mine);
        }
        for (TopicPartition tp : mine) {
            consumer.position(tp, timeout); // resolve the seek now, not on the first poll
        }
    }

    @Override
    public int poll(Duration timeout, RecordHandler handler) {
        if (!positioned) {
            throw new IllegalStateException("awaitAssignment() first");
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            handler.onRecord(r.value());
        }
        return records.count();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(10));
    }
}
