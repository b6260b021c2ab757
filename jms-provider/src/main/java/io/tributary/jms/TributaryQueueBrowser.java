package io.tributary.jms;

import io.tributary.jms.message.TributaryMessage;
import io.tributary.jms.selector.Selector;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A QueueBrowser: each {@link #getEnumeration()} reads the queue's topic with a plain Kafka consumer (assign and
 * seek, no group, nothing acquired), from the queue share group's start offset of each partition (the earliest
 * offset when the group has not read the partition yet) to the end offset at that moment. A temporary queue has no
 * share group: it is read from the position after what its consumers acknowledged. It therefore shows the
 * messages not yet acknowledged, including those a receiver holds in flight, and may show a few already
 * acknowledged ones past the start offset. The selector is applied here, in the client: browsing takes nothing.
 * Nor does it learn the broker's delivery counts, which only come with acquired records (ShareFetch): its selector
 * sees {@code JMSXDeliveryCount} as NULL (docs/jms.md).
 */
final class TributaryQueueBrowser implements QueueBrowser {
    private final TributarySession session;
    private final Queue queue;
    private final TributaryDestination destination;
    private final Selector selector;
    private volatile boolean closed;

    TributaryQueueBrowser(TributarySession session, Queue queue, Selector selector) throws JMSException {
        this.session = session;
        this.queue = queue;
        this.destination = (TributaryDestination) queue;
        this.selector = selector;
        session.connection().ensureTopic(destination.name());
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector.selectsAll() ? null : selector.toString();
    }

    @Override
    public Enumeration<?> getEnumeration() throws JMSException {
        checkOpen();
        TributaryConnection connection = session.connection();
        long timeout = connection.options().sendTimeoutMs();
        Admin admin = connection.admin();
        String topic = destination.name();
        String group = ShareGroups.queueGroup(topic);
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(timeout, TimeUnit.MILLISECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> start = new HashMap<>();
            admin.listOffsets(earliest).all().get(timeout, TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> start.put(tp, info.offset()));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> end.put(tp, info.offset()));
            Map<TopicPartition, Long> unconsumed = destination instanceof TributaryTemporaryQueue
                    ? temporaryQueueStart(connection) : groupStart(admin, group, timeout);
            unconsumed.forEach((tp, offset) -> start.computeIfPresent(tp, (k, earliestOffset) -> Math.max(earliestOffset, offset)));
            return Collections.enumeration(read(connection, start, end));
        } catch (ExecutionException e) {
            throw Errors.cause("cannot browse " + destination, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw Errors.cause("cannot browse " + destination, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted browsing " + destination, e);
        }
    }

    /** Where the queue's share group starts (what it has not yet acknowledged), per partition it has read. */
    private static Map<TopicPartition, Long> groupStart(Admin admin, String group, long timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            Map<TopicPartition, SharePartitionOffsetInfo> offsets = admin.listShareGroupOffsets(
                            Map.of(group, new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo(group).get(timeout, TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> start = new HashMap<>();
            if (offsets != null) {
                offsets.forEach((tp, info) -> {
                    if (info != null) {
                        start.put(tp, info.startOffset());
                    }
                });
            }
            return start;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw e;
        }
    }

    /**
     * A temporary queue has no share group: its one consumer at a time keeps the position after what it
     * acknowledged, and the connection keeps it between consumers (only the connection that created it may browse).
     */
    private Map<TopicPartition, Long> temporaryQueueStart(TributaryConnection connection) {
        TributaryMessageConsumer consumer = connection.claimant(destination.address());
        return consumer != null ? consumer.acknowledgedPositions()
                : connection.temporaryQueuePosition(destination.name());
    }

    private List<TributaryMessage> read(TributaryConnection connection, Map<TopicPartition, Long> start,
                                        Map<TopicPartition, Long> end) throws JMSException {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.options().bootstrapServers());
        config.putAll(connection.options().kafkaClientConfig());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "jms-browser-" + connection.id());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) Math.min(connection.options().sendTimeoutMs(), Integer.MAX_VALUE));
        List<TributaryMessage> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connection.options().sendTimeoutMs());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> toRead = new ArrayList<>();
            start.forEach((tp, from) -> {
                if (from < end.getOrDefault(tp, 0L)) {
                    toRead.add(tp);
                }
            });
            consumer.assign(toRead);
            toRead.forEach(tp -> consumer.seek(tp, start.get(tp)));
            while (!toRead.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new JMSException("browsing " + destination + " did not reach the end offsets in time");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(tp)) {
                        continue;
                    }
                    TributaryMessage m = MessageCodec.message(record, destination);
                    if (m.getJMSExpiration() != 0 && m.getJMSExpiration() <= System.currentTimeMillis()) {
                        continue;
                    }
                    if (selector.matches(TributaryMessageConsumer.identifiers(m))) {
                        messages.add(m);
                    }
                }
                toRead.removeIf(tp -> consumer.position(tp) >= end.get(tp));
                consumer.assign(toRead);
            }
        }
        return messages;
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the browser is closed");
        }
        session.checkOpen();
    }

    @Override
    public void close() {
        closed = true;
    }
}
