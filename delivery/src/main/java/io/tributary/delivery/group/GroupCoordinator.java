package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The consumer-group coordinator of this node: classic and consumer (KIP-848) groups and their
 * committed offsets. Protocol adapters translate requests into these calls. Thread-safe; see the
 * package documentation for the threading model.
 *
 * <p>Create one with {@link #start}, which replays the {@link GroupStore} before returning.
 */
public final class GroupCoordinator implements AutoCloseable {
    private final GroupContext ctx;
    private final ClassicGroupCoordinator classic;
    private final ConsumerGroupCoordinator consumer;
    private final OffsetCoordinator offsets;
    private final GroupAdmin admin;
    private final GroupScheduler.Cancellable expiryTask;

    private GroupCoordinator(GroupContext ctx) {
        this.ctx = ctx;
        this.classic = new ClassicGroupCoordinator(ctx);
        this.consumer = new ConsumerGroupCoordinator(ctx);
        this.offsets = new OffsetCoordinator(ctx);
        this.admin = new GroupAdmin(ctx);
        this.expiryTask = new GroupExpiry(ctx).start();
    }

    /**
     * Rebuilds group state from {@code store}, then starts the periodic offset-expiry check.
     *
     * @throws IOException if the store cannot be read
     */
    public static GroupCoordinator start(GroupConfig config, GroupScheduler scheduler, GroupStore store,
                                         TopicMetadata topics) throws IOException {
        GroupContext ctx = new GroupContext(config, scheduler, store, new GroupRegistry(), topics);
        GroupStateLoader.load(ctx);
        return new GroupCoordinator(ctx);
    }

    /** Classic join: completes when the join phase ends, or at once with an error or MEMBER_ID_REQUIRED. */
    public CompletableFuture<JoinGroupResult> joinGroup(JoinGroupRequest request) {
        return classic.join(request);
    }

    /** Classic sync: completes once the leader has supplied the assignment (at once for the leader or when stable). */
    public CompletableFuture<SyncGroupResult> syncGroup(SyncGroupRequest request) {
        return classic.sync(request);
    }

    public GroupError heartbeat(HeartbeatRequest request) {
        return classic.heartbeat(request);
    }

    public LeaveGroupResult leaveGroup(String groupId, List<LeaveGroupResult.LeavingMember> members) {
        return classic.leave(groupId, members);
    }

    /** One KIP-848 heartbeat: join, leave, or progress toward the member's target assignment. */
    public ConsumerHeartbeatResult consumerGroupHeartbeat(ConsumerHeartbeatRequest request) {
        return consumer.heartbeat(request);
    }

    /** Completes once the offsets are durable in the store; one error per partition. */
    public CompletableFuture<Map<TopicPartition, GroupError>> commitOffsets(OffsetCommitRequest request) {
        return offsets.commit(request);
    }

    /**
     * Checks that a member may commit offsets of {@code partitions} of {@code groupId} (TxnOffsetCommit),
     * without committing: a transaction's offsets are written when it commits, through
     * {@link #commitTransactionOffsets}. An unknown group accepts a commit without member.
     */
    public GroupError checkTransactionOffsetCommit(String groupId, String memberId, String groupInstanceId,
                                                   int generationIdOrMemberEpoch, Collection<TopicPartition> partitions) {
        return offsets.checkCommit(groupId, memberId, groupInstanceId, generationIdOrMemberEpoch, partitions);
    }

    /**
     * Whether an offset's metadata fits {@code offset.metadata.max.bytes} (counted in chars, as Kafka does): a
     * larger one is refused with OFFSET_METADATA_TOO_LARGE for its partition alone, by OffsetCommit and, when the
     * producer sends it, by TxnOffsetCommit.
     */
    public boolean offsetMetadataFits(String metadata) {
        return offsets.metadataFits(metadata);
    }

    /** Writes a committed transaction's offsets, checked when they were sent; completes once durable. */
    public CompletableFuture<Map<TopicPartition, GroupError>> commitTransactionOffsets(
            String groupId, List<OffsetCommitRequest.PartitionOffset> partitionOffsets) {
        return offsets.commitChecked(groupId, partitionOffsets);
    }

    /**
     * Committed offsets of {@code partitions} (all when null). With a member id, a consumer group
     * checks its epoch (STALE_MEMBER_EPOCH); an unknown group has no offsets.
     */
    public OffsetFetchResult fetchOffsets(String groupId, String memberId, int memberEpoch,
                                          List<TopicPartition> partitions) {
        return offsets.fetch(groupId, memberId, memberEpoch, partitions);
    }

    /** Deletes committed offsets of topics the group does not consume (GROUP_SUBSCRIBED_TO_TOPIC otherwise). */
    public CompletableFuture<OffsetDeleteResult> deleteOffsets(String groupId, List<TopicPartition> partitions) {
        return offsets.delete(groupId, partitions);
    }

    /**
     * Forgets every group's committed offsets of {@code topic}, which has been deleted; completes once that is
     * durable.
     */
    public CompletableFuture<Void> topicDeleted(String topic) {
        return offsets.removeTopic(topic);
    }

    /** Groups in any of {@code states} and of any of {@code types}; an empty set means all. */
    public List<GroupListing> listGroups(Set<GroupState> states, Set<GroupType> types) {
        return admin.list(states, types);
    }

    public ClassicGroupDescription describeClassicGroup(String groupId) {
        return admin.describeClassic(groupId);
    }

    public ConsumerGroupDescription describeConsumerGroup(String groupId) {
        return admin.describeConsumer(groupId);
    }

    /** Deletes groups with their offsets: NON_EMPTY_GROUP if it has members, GROUP_ID_NOT_FOUND if unknown. */
    public CompletableFuture<Map<String, GroupError>> deleteGroups(List<String> groupIds) {
        return admin.delete(groupIds);
    }

    /** Stops the expiry timer. The scheduler and store belong to the caller. */
    @Override
    public void close() {
        expiryTask.cancel();
    }
}
