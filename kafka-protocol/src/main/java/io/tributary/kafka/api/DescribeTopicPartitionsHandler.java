package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import io.tributary.security.acl.Authorizer;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * DescribeTopicPartitions (v0, KIP-966), on the event loop, as Kafka's
 * {@code DescribeTopicPartitionsRequestHandler} answers it: the named topics, or all when none is named, in name
 * order from the cursor's topic on, each with its partitions from the cursor's partition index (0 for later topics),
 * until {@code response_partition_limit} partitions (at most {@value #MAX_PARTITIONS}, Kafka's default
 * {@code max.request.partition.size.limit}, at least 1) are in the answer; {@code next_cursor} then names where to
 * go on. A topic whose partitions all fit but after which no room is left still gets the next topic as the cursor
 * (partition 0), even if that topic does not exist, as Kafka does.
 *
 * <p>Partitions are described as {@link MetadataHandler} describes them (this node the only replica, leader
 * epoch 0; an offline partition without leader and with this node offline) plus the eligible leader replicas and
 * last known ELR, always empty on one node. Named topics that do not exist answer UNKNOWN_TOPIC_OR_PARTITION,
 * names Kafka would refuse INVALID_TOPIC_EXCEPTION; with the cursor's topic missing from the named ones, or a
 * negative cursor partition, the whole request is INVALID_REQUEST.
 *
 * <p>Authorization is this handler's, as in Kafka (the gate lets the request through): topics the principal may not
 * DESCRIBE are left out of "all", and named ones answered TOPIC_AUTHORIZATION_FAILED (after the others, with no id
 * and without saying whether they exist). Each described topic carries the operations the principal may do on it
 * (every topic operation when no authorizer is configured).
 */
public final class DescribeTopicPartitionsHandler implements ApiHandler {
    /** Kafka's {@code max.request.partition.size.limit} default. */
    static final int MAX_PARTITIONS = 2000;
    private static final int NO_LEADER = -1;
    private static final int NO_NEXT_PARTITION = -1;

    private final LogManager log;
    private final BrokerEndpoint endpoint;
    private final Authorizer authorizer;

    /**
     * @param authorizer the broker's authorizer, or {@code null} when none is configured (everything allowed)
     */
    public DescribeTopicPartitionsHandler(LogManager log, BrokerEndpoint endpoint, Authorizer authorizer) {
        this.log = log;
        this.endpoint = endpoint;
        this.authorizer = authorizer;
    }

    @Override
    public void handle(RequestContext context) {
        DescribeTopicPartitionsRequestData request = (DescribeTopicPartitionsRequestData) context.request().body();
        Access access = access(context);
        try {
            context.respond(describe(request, access));
        } catch (InvalidRequestException e) {
            context.respond(new DescribeTopicPartitionsRequest(request, context.request().apiVersion())
                    .getErrorResponse(0, e).data());
        }
    }

    private DescribeTopicPartitionsResponseData describe(DescribeTopicPartitionsRequestData request, Access access) {
        boolean all = request.topics().isEmpty();
        Cursor cursor = request.cursor();
        String cursorTopic = cursor == null ? "" : cursor.topicName();
        TreeSet<String> names = new TreeSet<>();
        if (all) {
            for (Topic topic : log.topics()) {
                names.add(topic.name());
            }
        } else {
            request.topics().forEach(t -> names.add(t.name()));
        }
        names.headSet(cursorTopic).clear();
        if (!all && cursor != null && !names.contains(cursorTopic)) {
            throw new InvalidRequestException(
                    "DescribeTopicPartitionsRequest topic list should contain the cursor topic: " + cursorTopic);
        }
        if (cursor != null && cursor.partitionIndex() < 0) {
            throw new InvalidRequestException("DescribeTopicPartitionsRequest cursor partition must be valid: " + cursor);
        }
        List<DescribeTopicPartitionsResponseTopic> refused = new ArrayList<>();
        names.removeIf(name -> {
            if (access.may(Operation.DESCRIBE, name)) {
                return false;
            }
            if (!all) {
                refused.add(new DescribeTopicPartitionsResponseTopic().setName(name).setTopicId(Uuid.ZERO_UUID)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setIsInternal(false));
            }
            return true;
        });
        int limit = Math.max(Math.min(MAX_PARTITIONS, request.responsePartitionLimit()), 1);
        DescribeTopicPartitionsResponseData response = page(names, cursor, limit, all);
        response.topics().forEach(t -> t.setTopicAuthorizedOperations(access.topicOperations(t.name())));
        response.topics().addAll(refused);
        return response;
    }

    /** The partitions of {@code names} (sorted) from the cursor on, at most {@code limit} of them. */
    private DescribeTopicPartitionsResponseData page(TreeSet<String> names, Cursor cursor, int limit, boolean all) {
        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData();
        int remaining = limit;
        for (String name : names) {
            if (remaining == 0) {
                response.setNextCursor(nextCursor(name, 0));
                break;
            }
            Optional<Topic> found = log.topic(name);
            if (found.isEmpty()) {
                if (!all) {
                    response.topics().add(missing(name));
                }
                continue;
            }
            Topic topic = found.get();
            int first = cursor != null && name.equals(cursor.topicName()) ? cursor.partitionIndex() : 0;
            int end = Math.min(topic.partitionCount(), first + remaining);
            List<DescribeTopicPartitionsResponsePartition> partitions = new ArrayList<>();
            for (int p = first; p < end; p++) {
                partitions.add(partition(topic, p));
            }
            response.topics().add(new DescribeTopicPartitionsResponseTopic().setName(name)
                    .setTopicId(Topics.kafkaId(topic)).setIsInternal(Topics.isInternal(name)).setPartitions(partitions));
            remaining -= partitions.size();
            int next = end < topic.partitionCount() ? end : NO_NEXT_PARTITION;
            if (next != NO_NEXT_PARTITION) {
                response.setNextCursor(nextCursor(name, next));
                break;
            }
        }
        return response;
    }

    private static DescribeTopicPartitionsResponseData.Cursor nextCursor(String topic, int partition) {
        return new DescribeTopicPartitionsResponseData.Cursor().setTopicName(topic).setPartitionIndex(partition);
    }

    private static DescribeTopicPartitionsResponseTopic missing(String name) {
        Errors error = org.apache.kafka.common.internals.Topic.isValid(name)
                ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.INVALID_TOPIC_EXCEPTION;
        return new DescribeTopicPartitionsResponseTopic().setName(name).setTopicId(Uuid.ZERO_UUID)
                .setErrorCode(error.code()).setIsInternal(Topics.isInternal(name));
    }

    private DescribeTopicPartitionsResponsePartition partition(Topic topic, int index) {
        List<Integer> replicas = List.of(endpoint.nodeId());
        DescribeTopicPartitionsResponsePartition partition = new DescribeTopicPartitionsResponsePartition()
                .setPartitionIndex(index)
                .setLeaderId(endpoint.nodeId())
                .setLeaderEpoch(0)
                .setReplicaNodes(replicas)
                .setIsrNodes(replicas)
                .setEligibleLeaderReplicas(List.of())
                .setLastKnownElr(List.of())
                .setOfflineReplicas(List.of());
        if (topic.partition(index).offlineReason().isPresent()) {
            partition.setLeaderId(NO_LEADER).setOfflineReplicas(replicas);
        }
        return partition;
    }

    private Access access(RequestContext context) {
        if (authorizer == null) {
            return new Access(null, null, "");
        }
        String host = context.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
        return new Access(authorizer, context.principal(), host);
    }

    /** The authorization questions of one request; everything is allowed without an authorizer. */
    private record Access(Authorizer authorizer, io.tributary.security.Principal principal, String host) {
        boolean may(Operation operation, String topic) {
            return authorizer == null
                    || authorizer.authorize(principal, host, operation, ResourceType.TOPIC, topic);
        }

        /** Kafka's bit field of the topic operations the principal may do on {@code topic}. */
        int topicOperations(String topic) {
            return OperationBits.of(ResourceType.TOPIC, operation -> may(operation, topic));
        }
    }
}
