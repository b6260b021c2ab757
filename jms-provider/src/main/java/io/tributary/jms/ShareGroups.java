package io.tributary.jms;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The share groups (KIP-932) behind queue receivers and shared subscriptions: a queue {@code q} is read by share
 * group {@code jms-queue:q}; a shared durable subscription {@code name} by {@code jms-shared:<clientId>:name} (empty
 * client id when none is set), a shared non-durable one by {@code jms-shared-nondurable:<clientId>:name}.
 */
final class ShareGroups {
    private ShareGroups() {
    }

    /** Open consumers of each shared non-durable subscription in this JVM (one that has not polled yet is no member). */
    private static final ConcurrentHashMap<String, Integer> OPEN_NON_DURABLE = new ConcurrentHashMap<>();

    static void nonDurableOpened(String group) {
        OPEN_NON_DURABLE.merge(group, 1, Integer::sum);
    }

    /** @return whether that was the last consumer of {@code group} open in this JVM */
    static boolean nonDurableClosed(String group) {
        return OPEN_NON_DURABLE.compute(group, (g, n) -> n == null || n <= 1 ? null : n - 1) == null;
    }

    static String queueGroup(String queue) {
        return "jms-queue:" + queue;
    }

    static String sharedGroup(String clientId, String name, boolean durable) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new JMSException("a shared subscription needs a name");
        }
        return (durable ? "jms-shared:" : "jms-shared-nondurable:") + (clientId == null ? "" : clientId) + ":" + name;
    }

    /**
     * Sets the group's {@code share.auto.offset.reset} (where a share partition nobody has read yet starts) and its
     * {@code share.isolation.level} to {@code read_committed} (transacted sessions' sends are delivered once
     * committed, never when rolled back).
     */
    static void offsetReset(TributaryConnection connection, String group, String reset) throws JMSException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        AlterConfigOp op = new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", reset), AlterConfigOp.OpType.SET);
        AlterConfigOp isolation = new AlterConfigOp(new ConfigEntry("share.isolation.level", "read_committed"),
                AlterConfigOp.OpType.SET);
        try {
            connection.admin().incrementalAlterConfigs(Map.of(resource, List.of(op, isolation))).all()
                    .get(connection.options().sendTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Errors.cause("cannot configure share group " + group, e.getCause());
        } catch (TimeoutException e) {
            throw Errors.cause("cannot configure share group " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted configuring share group " + group, e);
        }
    }

    /**
     * A new subscription starts with the messages published after it was created: if share group {@code group} has
     * no start offsets yet, the topic's end offsets are set as its start (a consumer joining later would otherwise
     * start at "latest" only when its first fetch reaches the share partition, missing what was published between).
     */
    static void startAtEndIfNew(TributaryConnection connection, String group, String topic) throws JMSException {
        Admin admin = connection.admin();
        long timeout = connection.options().sendTimeoutMs();
        try {
            Map<TopicPartition, SharePartitionOffsetInfo> offsets;
            try {
                offsets = admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                        .partitionsToOffsetInfo(group).get(timeout, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
                offsets = Map.of();
            }
            if (offsets != null && offsets.values().stream().anyMatch(Objects::nonNull)) {
                return;
            }
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(timeout, TimeUnit.MILLISECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> start = new HashMap<>();
            admin.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> start.put(tp, info.offset()));
            try {
                admin.alterShareGroupOffsets(group, start).all().get(timeout, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupNotEmptyException)) {
                    throw e;
                }
                // another consumer joined first: the subscription exists and has its start
            }
        } catch (ExecutionException e) {
            throw Errors.cause("cannot create shared subscription " + group, e.getCause());
        } catch (TimeoutException e) {
            throw Errors.cause("cannot create shared subscription " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted creating shared subscription " + group, e);
        }
    }

    /**
     * Deletes share group {@code group}. @return false if there is no such group
     * @throws jakarta.jms.IllegalStateException if it still has members
     */
    static boolean delete(TributaryConnection connection, String group) throws JMSException {
        try {
            connection.admin().deleteShareGroups(List.of(group)).all()
                    .get(connection.options().sendTimeoutMs(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            if (e.getCause() instanceof GroupNotEmptyException) {
                throw new jakarta.jms.IllegalStateException("shared subscription " + group + " has active consumers");
            }
            throw Errors.cause("cannot delete share group " + group, e.getCause());
        } catch (TimeoutException e) {
            throw Errors.cause("cannot delete share group " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted deleting share group " + group, e);
        }
    }

    static InvalidDestinationException noSuchSubscription(String name) {
        return new InvalidDestinationException("no durable subscription " + name);
    }
}
