package io.tributary.differential;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A share-group member over {@link RawRequests}, for scenarios that send what {@code KafkaShareConsumer} never
 * would (malformed acknowledgement batches): it joins, opens a share session on one partition and acquires from
 * it, then sends ShareAcknowledge requests of its own making. One broker, so it is the coordinator and leader.
 */
final class RawShareMember {
    private static final short HEARTBEAT_V = 1;
    private static final short FETCH_V = 1;
    private static final short ACK_V = 1;
    private static final short FIND_COORDINATOR_V = 4;
    private static final Set<Errors> COORDINATOR_ERRORS = Set.of(Errors.NOT_COORDINATOR,
            Errors.COORDINATOR_NOT_AVAILABLE, Errors.COORDINATOR_LOAD_IN_PROGRESS);
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final RawRequests connection;
    private final String group;
    private final String memberId = Uuid.randomUuid().toString();
    private int sessionEpoch;

    RawShareMember(RawRequests connection, String group) {
        this.connection = connection;
        this.group = group;
    }

    /**
     * Joins subscribed to {@code topic} and heartbeats until the group assigns it a partition of it. Kafka creates
     * its group coordinator's topic on the first FindCoordinator, and answers NOT_COORDINATOR until it has, so the
     * member first looks its coordinator up until found, and retries a heartbeat answered with a coordinator error.
     */
    void joinUntilAssigned(String topic) throws IOException {
        int epoch = 0;
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (findCoordinator() != Errors.NONE) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no group coordinator within the deadline");
            }
            sleep(200);
        }
        while (System.nanoTime() < deadline) {
            ShareGroupHeartbeatRequestData request = new ShareGroupHeartbeatRequestData().setGroupId(group)
                    .setMemberId(memberId).setMemberEpoch(epoch);
            if (epoch == 0) {
                request.setSubscribedTopicNames(List.of(topic));
            }
            ShareGroupHeartbeatResponseData response = (ShareGroupHeartbeatResponseData) connection.send(
                    ApiKeys.SHARE_GROUP_HEARTBEAT, HEARTBEAT_V, request);
            Errors error = Errors.forCode(response.errorCode());
            if (COORDINATOR_ERRORS.contains(error)) {
                sleep(200);
                continue;
            }
            if (error != Errors.NONE) {
                throw new IOException("ShareGroupHeartbeat answered " + error);
            }
            epoch = response.memberEpoch();
            if (response.assignment() != null && !response.assignment().topicPartitions().isEmpty()) {
                return;
            }
            sleep(response.heartbeatIntervalMs());
        }
        throw new IOException("no assignment within the deadline");
    }

    private Errors findCoordinator() throws IOException {
        FindCoordinatorResponseData response = (FindCoordinatorResponseData) connection.send(ApiKeys.FIND_COORDINATOR,
                FIND_COORDINATOR_V, new FindCoordinatorRequestData().setKeyType((byte) 0)
                        .setCoordinatorKeys(List.of(group)));
        return Errors.forCode(response.coordinators().get(0).errorCode());
    }

    /** ShareFetches partition 0 of {@code topicId} (opening the session) until records are acquired. */
    void fetchUntilAcquired(Uuid topicId) throws IOException {
        fetchUntilAcquired(topicId, 1);
    }

    /**
     * ShareFetches partition 0 of {@code topicId} (opening the session) until at least {@code count} offsets are
     * acquired; answers them in offset order as "offset/deliveryCount" (one entry per offset, so that brokers that
     * cut the acquired ranges differently answer alike).
     */
    List<String> fetchUntilAcquired(Uuid topicId, int count) throws IOException {
        TreeMap<Long, Short> acquired = new TreeMap<>();
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (System.nanoTime() < deadline) {
            ShareFetchRequestData request = new ShareFetchRequestData().setGroupId(group).setMemberId(memberId)
                    .setShareSessionEpoch(sessionEpoch).setMaxWaitMs(500).setMinBytes(1).setMaxBytes(1 << 20)
                    .setMaxRecords(500).setBatchSize(500);
            ShareFetchRequestData.FetchTopic fetchTopic = new ShareFetchRequestData.FetchTopic().setTopicId(topicId);
            fetchTopic.partitions().add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(0));
            request.topics().add(fetchTopic);
            ShareFetchResponseData response = (ShareFetchResponseData) connection.send(ApiKeys.SHARE_FETCH, FETCH_V,
                    request);
            if (response.errorCode() != Errors.NONE.code()) {
                throw new IOException("ShareFetch answered " + Errors.forCode(response.errorCode()));
            }
            sessionEpoch++;
            response.responses().forEach(t -> t.partitions().forEach(p -> p.acquiredRecords().forEach(r -> {
                for (long offset = r.firstOffset(); offset <= r.lastOffset(); offset++) {
                    acquired.put(offset, r.deliveryCount());
                }
            })));
            if (acquired.size() >= count) {
                List<String> offsets = new ArrayList<>();
                acquired.forEach((offset, deliveries) -> offsets.add(offset + "/" + deliveries));
                return offsets;
            }
        }
        throw new IOException("acquired " + acquired + " within the deadline, not " + count);
    }

    /** Sends one ShareAcknowledge of {@code topics} and answers each partition's error, as "topicId-partition". */
    Map<String, String> acknowledge(List<ShareAcknowledgeRequestData.AcknowledgeTopic> topics) throws IOException {
        ShareAcknowledgeRequestData request = new ShareAcknowledgeRequestData().setGroupId(group)
                .setMemberId(memberId).setShareSessionEpoch(sessionEpoch);
        topics.forEach(t -> request.topics().add(t.duplicate()));
        ShareAcknowledgeResponseData response = (ShareAcknowledgeResponseData) connection.send(
                ApiKeys.SHARE_ACKNOWLEDGE, ACK_V, request);
        if (response.errorCode() != Errors.NONE.code()) {
            throw new IOException("ShareAcknowledge answered " + Errors.forCode(response.errorCode()));
        }
        sessionEpoch++;
        Map<String, String> errors = new TreeMap<>();
        response.responses().forEach(t -> t.partitions().forEach(p -> errors.put(t.topicId() + "-"
                + p.partitionIndex(), Errors.forCode(p.errorCode()).name())));
        return errors;
    }

    /** Sends one ShareAcknowledge of partition 0 of {@code topicId} with {@code batches}; answers its error's name. */
    String acknowledge(Uuid topicId, long[]... batches) throws IOException {
        ShareAcknowledgeRequestData.AcknowledgeTopic topic = new ShareAcknowledgeRequestData.AcknowledgeTopic()
                .setTopicId(topicId);
        topic.partitions().add(partition(0, batches));
        return acknowledge(List.of(topic)).getOrDefault(topicId + "-0", "absent");
    }

    /** One acknowledged partition: its batches, each {first, last, type...}. */
    static ShareAcknowledgeRequestData.AcknowledgePartition partition(int index, long[]... batches) {
        ShareAcknowledgeRequestData.AcknowledgePartition partition =
                new ShareAcknowledgeRequestData.AcknowledgePartition().setPartitionIndex(index);
        for (long[] batch : batches) {
            List<Byte> types = new ArrayList<>();
            for (int i = 2; i < batch.length; i++) {
                types.add((byte) batch[i]);
            }
            partition.acknowledgementBatches().add(new ShareAcknowledgeRequestData.AcknowledgementBatch()
                    .setFirstOffset(batch[0]).setLastOffset(batch[1]).setAcknowledgeTypes(types));
        }
        return partition;
    }

    private static void sleep(int millis) throws IOException {
        try {
            Thread.sleep(Math.max(50, Math.min(millis, 1000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
