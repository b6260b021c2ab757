package io.tributary.perf.transport;

import java.time.Duration;

/** A connection to one broker through one protocol: topic administration and client factories. */
public interface Transport extends AutoCloseable {

    /**
     * Creates {@code topic} with {@code partitions} partitions unless it exists, waiting up to
     * {@code timeout}. Throws {@link TransportException} if the broker refuses.
     */
    void ensureTopic(String topic, int partitions, Duration timeout);

    /** The number of partitions of {@code topic}, waiting up to {@code timeout} for metadata. */
    int partitionCount(String topic, Duration timeout);

    /** A new producer; close it when done. */
    ProducerDriver producer(ProducerSettings settings);

    /** A new consumer; close it when done. */
    ConsumerDriver consumer(ConsumerSettings settings);

    /** Releases the transport's own resources (not the drivers it made). */
    @Override
    void close();
}
