package io.tributary.jms;

import io.tributary.jms.message.TributaryMessage;
import io.tributary.jms.selector.Selector;
import jakarta.jms.JMSException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving half of a topic subscriber or temporary-queue consumer: a {@link KafkaConsumer} and, per partition,
 * the position after what it delivered and after what the session acknowledged. A non-durable subscriber reads
 * every partition from the end as it was when created; a durable subscriber is a consumer group
 * ({@code group.protocol=consumer}) whose committed offsets are the subscription's position; a temporary queue's
 * one consumer reads from where the previous one stopped.
 *
 * <p>{@link #acknowledgeDelivered} moves the acknowledged position up (and commits it for a durable subscription),
 * {@link #recover} seeks back to it, so unacknowledged messages come again with {@code JMSRedelivered} and a higher
 * {@code JMSXDeliveryCount} (counted here, per offset, until acknowledged). Selector, noLocal, expiry and delivery
 * delay are applied here, in the client: a topic has no broker-side delivery state to do it.
 *
 * <p>Thread-safe: every call takes the reader's lock; {@link #close} wakes a poll holding it.
 */
final class TopicReader implements MessageReader {
    private static final long POLL_SLICE_MS = 100;

    private final TributaryConnection connection;
    private final TributaryDestination destination;
    private final Selector selector;
    private final boolean noLocal;
    /** The durable subscription's consumer group, or null. */
    private final String group;
    /** Kept with a durable subscription's committed offsets: what it was created with (topic, selector, noLocal). */
    private final String descriptor;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
    private final Map<TopicPartition, Long> delivered = new HashMap<>();
    private final Map<TopicPartition, Long> acknowledged = new HashMap<>();
    private final Map<TopicPartition, TreeMap<Long, Integer>> deliveryCounts = new HashMap<>();
    private volatile boolean closed;
    /** The first {@link #nextNoWait} waits for a fetch's answer. */
    private final FirstFetchWait firstFetch = new FirstFetchWait();

    /**
     * Opens the Kafka consumer and resolves where it starts, so that messages sent after this returns are read.
     *
     * @param group non-null for a durable subscription (its consumer group)
     */
    TopicReader(TributaryConnection connection, TributaryDestination destination, Selector selector, boolean noLocal,
                String group) throws JMSException {
        this.connection = connection;
        this.destination = destination;
        this.selector = selector;
        this.noLocal = noLocal;
        this.group = group;
        this.descriptor = DurableSubscriptions.descriptor(destination.name(),
                selector.selectsAll() ? null : selector.toString(), noLocal);
        KafkaConsumer<byte[], byte[]> kafka = null;
        try {
            if (group != null) {
                DurableSubscriptions.startAtEndIfNew(connection, group, destination.name(), descriptor);
            }
            kafka = new KafkaConsumer<>(config(connection, group));
            if (group != null) {
                kafka.subscribe(List.of(destination.name()));
            } else {
                List<TopicPartition> partitions = kafka.partitionsFor(destination.name(),
                                Duration.ofMillis(connection.options().sendTimeoutMs())).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                kafka.assign(partitions);
                if (destination instanceof TributaryTemporaryQueue) {
                    Map<TopicPartition, Long> start = connection.temporaryQueuePosition(destination.name());
                    kafka.seekToBeginning(partitions);
                    start.forEach(kafka::seek);
                } else {
                    kafka.seekToEnd(partitions);
                }
                for (TopicPartition tp : partitions) {
                    // resolve the start now: messages sent after this constructor returns are received
                    acknowledged.put(tp, kafka.position(tp, Duration.ofMillis(connection.options().sendTimeoutMs())));
                }
            }
        } catch (JMSException | RuntimeException e) {
            if (kafka != null) {
                kafka.close(Duration.ZERO);
            }
            throw e instanceof JMSException j ? j : Errors.cause("cannot subscribe to " + destination, e);
        }
        this.consumer = kafka;
    }

    private static Properties config(TributaryConnection connection, String group) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.options().bootstrapServers());
        config.putAll(connection.options().kafkaClientConfig());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "jms-consumer-" + connection.id());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // transacted sessions' sends are seen once committed, never when rolled back
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(connection.options().sendTimeoutMs(), Integer.MAX_VALUE));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        }
        return config;
    }

    @Override
    public TributaryMessage next(long pollMs) throws JMSException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pollMs);
            boolean polled = false;
            while (!closed) {
                ConsumerRecord<byte[], byte[]> record = buffer.peek();
                if (record == null) {
                    if (polled) {
                        return null;
                    }
                    polled = true;
                    resumeFetching();
                    consumer.poll(Duration.ofMillis(pollMs)).forEach(buffer::add);
                    continue;
                }
                long holdMs = MessageCodec.deliverAt(record) - System.currentTimeMillis();
                if (holdMs > 0) {
                    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (leftMs <= 0) {
                        return null;
                    }
                    holdUntilDue(Math.min(leftMs, holdMs));
                    continue;
                }
                buffer.poll();
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                acknowledged.putIfAbsent(tp, record.offset());
                delivered.put(tp, record.offset() + 1);
                TributaryMessage m = MessageCodec.message(record, destination);
                // the selector sees the count this delivery would have (JMSXDeliveryCount)
                TreeMap<Long, Integer> counts = deliveryCounts.get(tp);
                int count = (counts == null ? 0 : counts.getOrDefault(record.offset(), 0)) + 1;
                m.putReceivedProperty(MessageCodec.DELIVERY_COUNT, count);
                if (skipped(record, m)) {
                    if (counts == null || counts.isEmpty()) {
                        acknowledged.put(tp, record.offset() + 1);
                    }
                    continue;
                }
                deliveryCounts.computeIfAbsent(tp, k -> new TreeMap<>()).put(record.offset(), count);
                m.setJMSRedelivered(count > 1);
                return m;
            }
            return null;
        } catch (WakeupException e) {
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #next}{@code (0)}, except on a reader no fetch has been answered for yet (one created a moment ago):
     * that one waits until its first fetch answers, at most {@code sendTimeoutMs}, so that a message already
     * waiting is returned, as a client that asks the broker when its buffer is empty does (Artemis). Later calls
     * never wait: the Kafka consumer keeps fetching between polls.
     */
    @Override
    public TributaryMessage nextNoWait() throws JMSException {
        return firstFetch.next(connection.options().sendTimeoutMs(), this::fetchAnswered, this::next);
    }

    /** Whether a fetch was answered; also once closed, so that a waiting {@link #nextNoWait} returns at once. */
    private boolean fetchAnswered() {
        lock.lock();
        try {
            return closed || FetchMetrics.answered(consumer.metrics());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long pollSliceMs() {
        return POLL_SLICE_MS;
    }

    /**
     * A delayed message at the head of the buffer is held, and the messages behind it with it (log order): the
     * Kafka consumer keeps polling, so a durable subscription stays in its group, but with its partitions paused.
     */
    private void holdUntilDue(long millis) {
        if (consumer.paused().size() != consumer.assignment().size()) {
            consumer.pause(consumer.assignment());
        }
        // a partition assigned meanwhile is not paused: what it returns queues behind the held message
        consumer.poll(Duration.ofMillis(millis)).forEach(buffer::add);
    }

    private void resumeFetching() {
        if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private boolean skipped(ConsumerRecord<byte[], byte[]> record, TributaryMessage m) {
        if (m.getJMSExpiration() != 0 && m.getJMSExpiration() <= System.currentTimeMillis()) {
            return true;
        }
        if (noLocal) {
            Header from = record.headers().lastHeader(TributaryMessageConsumer.CONNECTION_HEADER);
            if (from != null && connection.id().equals(new String(from.value(), StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return !selector.matches(TributaryMessageConsumer.identifiers(m));
    }

    /** Everything delivered so far is acknowledged; a durable subscription commits it ({@code sync} waits). */
    @Override
    public void acknowledgeDelivered(boolean sync) throws JMSException {
        lock.lock();
        try {
            if (closed || delivered.isEmpty()) {
                return;
            }
            acknowledged.putAll(delivered);
            deliveryCounts.clear();
            if (group != null) {
                Map<TopicPartition, OffsetAndMetadata> offsets = deliveredOffsets();
                if (sync) {
                    consumer.commitSync(offsets);
                } else {
                    consumer.commitAsync(offsets, null);
                }
            }
        } catch (RuntimeException e) {
            throw Errors.cause("cannot acknowledge on " + destination, e);
        } finally {
            lock.unlock();
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> deliveredOffsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        delivered.forEach((tp, next) -> {
            if (consumer.assignment().contains(tp)) {
                offsets.put(tp, new OffsetAndMetadata(next, descriptor));
            }
        });
        return offsets;
    }

    /**
     * A transacted session's commit, before the Kafka transaction commits: a durable subscription adds the
     * positions after what it delivered to the transaction (TxnOffsetCommit), so they commit with the sends.
     */
    @Override
    public void offsetsToTransaction(SessionTransaction transaction) throws JMSException {
        if (group == null) {
            return;
        }
        lock.lock();
        try {
            if (closed || delivered.isEmpty()) {
                return;
            }
            transaction.sendOffsets(deliveredOffsets(), consumer.groupMetadata());
        } finally {
            lock.unlock();
        }
    }

    /** A transacted session's commit, after the Kafka transaction committed: the position moves on. */
    @Override
    public void transactionCommitted() {
        lock.lock();
        try {
            acknowledged.putAll(delivered);
            deliveryCounts.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Unacknowledged messages are delivered again, from the acknowledged position of each partition. */
    @Override
    public void recover() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            buffer.clear();
            acknowledged.forEach((tp, offset) -> {
                if (consumer.assignment().contains(tp)) {
                    consumer.seek(tp, offset);
                }
            });
            delivered.clear();
            delivered.putAll(acknowledged);
        } finally {
            lock.unlock();
        }
    }

    /** The position after what the session acknowledged, per partition (a temporary queue's browse start). */
    Map<TopicPartition, Long> acknowledged() {
        lock.lock();
        try {
            return new HashMap<>(acknowledged);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the Kafka consumer; a temporary queue's next consumer starts after what this one acknowledged. */
    @Override
    public void close() throws JMSException {
        closed = true;
        consumer.wakeup();
        lock.lock();
        try {
            if (destination instanceof TributaryTemporaryQueue) {
                connection.temporaryQueuePosition(destination.name(), acknowledged);
            }
            consumer.close(Duration.ofMillis(connection.options().sendTimeoutMs()));
        } catch (RuntimeException e) {
            throw Errors.cause("error closing the consumer of " + destination, e);
        } finally {
            lock.unlock();
        }
    }
}
