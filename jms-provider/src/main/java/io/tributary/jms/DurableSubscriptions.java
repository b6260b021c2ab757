package io.tributary.jms;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A durable subscription is the consumer group {@code jms:<clientId>:<subscription name>}: its committed offsets
 * are what the subscription has consumed, kept by the broker in {@code __consumer_offsets}.
 */
final class DurableSubscriptions {
    private DurableSubscriptions() {
    }

    static String group(String clientId, String name) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new JMSException("a durable subscription needs a name");
        }
        if (clientId == null) {
            throw new jakarta.jms.IllegalStateException("a durable subscription needs the connection's client ID"
                    + " (setClientID, or clientId= in the URL)");
        }
        return "jms:" + clientId + ":" + name;
    }

    /**
     * What a subscription is: its topic, selector and noLocal, kept as the metadata of every offset its group
     * commits, so that a consumer opened with other values replaces the subscription, as the specification
     * requires.
     */
    static String descriptor(String topic, String selector, boolean noLocal) {
        return "jms-subscription topic=" + topic + " noLocal=" + noLocal + " selector=" + (selector == null ? "" : selector);
    }

    /**
     * A new subscription starts with the messages sent after it was created: if the group has no committed
     * offsets yet, the topic's end offsets are committed for it before its consumer joins. If the group has
     * offsets committed under another {@link #descriptor} (another topic, selector or noLocal), the old
     * subscription is deleted first and a new one starts at the end.
     */
    static void startAtEndIfNew(TributaryConnection connection, String group, String topic, String descriptor)
            throws JMSException {
        Admin admin = connection.admin();
        long timeout = connection.options().sendTimeoutMs();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(timeout, TimeUnit.MILLISECONDS);
            if (committed != null && !committed.isEmpty()) {
                boolean same = committed.entrySet().stream().allMatch(e -> e.getKey().topic().equals(topic)
                        && e.getValue() != null && descriptor.equals(e.getValue().metadata()));
                if (same) {
                    return;
                }
                unsubscribe(connection, group);
            }
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(timeout, TimeUnit.MILLISECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(timeout, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            ends.forEach((tp, info) -> start.put(tp, new OffsetAndMetadata(info.offset(), descriptor)));
            admin.alterConsumerGroupOffsets(group, start).all().get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Errors.cause("cannot create durable subscription " + group, e.getCause());
        } catch (TimeoutException e) {
            throw Errors.cause("cannot create durable subscription " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted creating durable subscription " + group, e);
        }
    }

    /** Deletes the subscription's group. @throws InvalidDestinationException if there is no such subscription */
    static void unsubscribe(TributaryConnection connection, String group) throws JMSException {
        try {
            connection.admin().deleteConsumerGroups(List.of(group)).all()
                    .get(connection.options().sendTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                throw new InvalidDestinationException("no durable subscription " + group);
            }
            if (e.getCause() instanceof GroupNotEmptyException) {
                throw new jakarta.jms.IllegalStateException("durable subscription " + group
                        + " has an active consumer");
            }
            throw Errors.cause("cannot unsubscribe " + group, e.getCause());
        } catch (TimeoutException e) {
            throw Errors.cause("cannot unsubscribe " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted unsubscribing " + group, e);
        }
    }
}
