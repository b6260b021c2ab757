package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;

/** The offsets of a partition the engine needs to place a new share partition. Safe from any thread. */
public interface LogOffsets {
    /** The log start offset of {@code tp}, or 0 if it does not exist. */
    long logStartOffset(TopicPartition tp);

    /** The high watermark of {@code tp}, or 0 if it does not exist. */
    long highWatermark(TopicPartition tp);

    /** The offsets of {@code log}'s partitions, as they are at each call. */
    static LogOffsets of(LogManager log) {
        return new LogOffsets() {
            @Override
            public long logStartOffset(TopicPartition tp) {
                PartitionLog p = partition(log, tp);
                return p == null ? 0 : p.logStartOffset();
            }

            @Override
            public long highWatermark(TopicPartition tp) {
                PartitionLog p = partition(log, tp);
                return p == null ? 0 : p.highWatermark();
            }
        };
    }

    private static PartitionLog partition(LogManager log, TopicPartition tp) {
        Topic topic = log.topic(tp.topic()).orElse(null);
        return topic == null || tp.partition() < 0 || tp.partition() >= topic.partitionCount()
                ? null : topic.partition(tp.partition());
    }
}
