package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Committed offsets: validated under the group's monitor, written to the {@link GroupStore}, and
 * applied to the in-memory table only once the store acknowledged them, so a fetch never returns an
 * offset a restart could lose.
 */
final class OffsetCoordinator {
    private final GroupContext ctx;

    OffsetCoordinator(GroupContext ctx) {
        this.ctx = ctx;
    }

    CompletableFuture<Map<TopicPartition, GroupError>> commit(OffsetCommitRequest request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(all(request.offsets(), GroupError.INVALID_GROUP_ID));
        }
        boolean simple = request.generationIdOrMemberEpoch() < 0
                && (request.memberId() == null || request.memberId().isEmpty());
        return ctx.registry.withGroupOrCreateIf(request.groupId(), simple, id -> new ClassicGroup(id, ctx.now()), group -> {
            if (group == null) {
                return CompletableFuture.completedFuture(all(request.offsets(), GroupError.ILLEGAL_GENERATION));
            }
            if (request.sender() == OffsetCommitRequest.Sender.GENERATION_ONLY && group instanceof ConsumerGroup consumer
                    && consumer.hasMember(request.memberId())) {
                return CompletableFuture.completedFuture(all(request.offsets(), GroupError.UNSUPPORTED_VERSION));
            }
            // As in Kafka, a partition whose metadata is too large is refused for that alone, unchecked
            GroupError error = group.validateOffsetCommit(request.memberId(), request.groupInstanceId(),
                    request.generationIdOrMemberEpoch(), request.offsets().stream()
                            .filter(o -> metadataFits(o.metadata()))
                            .map(OffsetCommitRequest.PartitionOffset::partition).toList());
            if (error != GroupError.NONE) {
                return CompletableFuture.completedFuture(all(request.offsets(), error));
            }
            return write(group, request.offsets());
        });
    }

    /**
     * The member checks of a commit, without committing: for a transaction's offsets, checked when
     * the producer sends them and written when the transaction commits ({@link #commitChecked}).
     */
    GroupError checkCommit(String groupId, String memberId, String groupInstanceId, int generationIdOrMemberEpoch,
                           Collection<TopicPartition> partitions) {
        if (groupId == null || groupId.isEmpty()) {
            return GroupError.INVALID_GROUP_ID;
        }
        boolean simple = generationIdOrMemberEpoch < 0 && (memberId == null || memberId.isEmpty());
        return ctx.registry.withGroup(groupId, group -> {
            if (group == null) {
                // Kafka's TxnOffsetCommit v6 error; its handler answers ILLEGAL_GENERATION before v6
                return simple ? GroupError.NONE : generationIdOrMemberEpoch >= 0 ? GroupError.GROUP_ID_NOT_FOUND
                        : GroupError.ILLEGAL_GENERATION;
            }
            // TxnOffsetCommit before v3 carries no member id, generation or instance id (kafkajs and
            // librdkafka send v0-v2), so Kafka checks them only when one is given: without them the
            // commit is accepted whatever the group's members. A consumer group takes only epoch -1.
            boolean anonymous = (memberId == null || memberId.isEmpty()) && groupInstanceId == null
                    && (group instanceof ClassicGroup ? generationIdOrMemberEpoch < 0 : generationIdOrMemberEpoch == -1);
            if (anonymous) {
                return GroupError.NONE;
            }
            return group.validateOffsetCommit(memberId, groupInstanceId, generationIdOrMemberEpoch, partitions);
        });
    }

    /**
     * Writes offsets whose commit was checked earlier ({@link #checkCommit}), creating the group if it is gone; none
     * (a transaction whose every offset of the group was refused when sent) creates no group.
     */
    CompletableFuture<Map<TopicPartition, GroupError>> commitChecked(String groupId,
                                                                    List<OffsetCommitRequest.PartitionOffset> offsets) {
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return ctx.registry.withGroupOrCreateIf(groupId, true, id -> new ClassicGroup(id, ctx.now()),
                group -> write(group, offsets));
    }

    private CompletableFuture<Map<TopicPartition, GroupError>> write(Group group,
                                                                     List<OffsetCommitRequest.PartitionOffset> offsets) {
        Map<TopicPartition, GroupError> result = new HashMap<>();
        List<GroupRecord> records = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> accepted = new HashMap<>();
        long now = ctx.now();
        for (OffsetCommitRequest.PartitionOffset offset : offsets) {
            String metadata = offset.metadata() == null ? "" : offset.metadata();
            if (!metadataFits(metadata)) {
                result.put(offset.partition(), GroupError.OFFSET_METADATA_TOO_LARGE);
                continue;
            }
            OffsetAndMetadata value = new OffsetAndMetadata(offset.offset(), offset.leaderEpoch(), metadata, now);
            accepted.put(offset.partition(), value);
            records.add(new GroupRecord.OffsetCommitted(group.groupId, offset.partition(), value));
        }
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(result);
        }
        return ctx.store.write(records).handle((ignored, failure) -> {
            GroupError outcome = failure == null ? GroupError.NONE : GroupError.COORDINATOR_NOT_AVAILABLE;
            if (failure == null) {
                synchronized (group) {
                    if (!group.dead) {
                        group.offsets.putAll(accepted);
                    }
                }
            }
            accepted.keySet().forEach(tp -> result.put(tp, outcome));
            return result;
        });
    }

    boolean metadataFits(String metadata) {
        return metadata == null || metadata.length() <= ctx.config.offsetMetadataMaxBytes();
    }

    /** Committed offsets of {@code partitions}, or of every partition when it is null. */
    OffsetFetchResult fetch(String groupId, String memberId, int memberEpoch, List<TopicPartition> partitions) {
        return ctx.registry.withGroup(groupId, group -> {
            if (group == null) {
                return new OffsetFetchResult(GroupError.NONE, Map.of());
            }
            if (group instanceof ConsumerGroup && memberId != null && !memberId.isEmpty()) {
                GroupError error = group.validateOffsetCommit(memberId, null, memberEpoch, null);
                if (error != GroupError.NONE) {
                    return new OffsetFetchResult(error, Map.of());
                }
            }
            Map<TopicPartition, OffsetAndMetadata> found = new HashMap<>();
            if (partitions == null) {
                found.putAll(group.offsets);
            } else {
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata offset = group.offsets.get(tp);
                    if (offset != null) {
                        found.put(tp, offset);
                    }
                }
            }
            return new OffsetFetchResult(GroupError.NONE, found);
        });
    }

    CompletableFuture<OffsetDeleteResult> delete(String groupId, List<TopicPartition> partitions) {
        return ctx.registry.withGroup(groupId, group -> {
            if (group == null) {
                return CompletableFuture.completedFuture(new OffsetDeleteResult(GroupError.GROUP_ID_NOT_FOUND, Map.of()));
            }
            Map<TopicPartition, GroupError> errors = new HashMap<>();
            List<GroupRecord> records = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                if (group.isSubscribedTo(tp.topic())) {
                    errors.put(tp, GroupError.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                    errors.put(tp, GroupError.NONE);
                    if (group.offsets.containsKey(tp)) {
                        records.add(new GroupRecord.OffsetRemoved(groupId, tp));
                    }
                }
            }
            if (records.isEmpty()) {
                return CompletableFuture.completedFuture(new OffsetDeleteResult(GroupError.NONE, errors));
            }
            return ctx.store.write(records).handle((ignored, failure) -> {
                if (failure != null) {
                    return new OffsetDeleteResult(GroupError.COORDINATOR_NOT_AVAILABLE, Map.of());
                }
                synchronized (group) {
                    records.forEach(r -> group.offsets.remove(((GroupRecord.OffsetRemoved) r).partition()));
                }
                return new OffsetDeleteResult(GroupError.NONE, errors);
            });
        });
    }

    /**
     * Removes every group's offsets of {@code topic}, which no longer exists, with tombstones, as Kafka's
     * coordinator does when a topic is deleted; otherwise a topic created again under the same name would
     * start from the old topic's offsets. The offsets are forgotten in memory at once, as expired ones are
     * ({@link GroupExpiry}); the returned future completes once the tombstones are durable.
     */
    CompletableFuture<Void> removeTopic(String topic) {
        List<GroupRecord> records = new ArrayList<>();
        for (Group group : List.copyOf(ctx.registry.all())) {
            synchronized (group) {
                if (group.dead) {
                    continue;
                }
                group.offsets.keySet().removeIf(tp -> {
                    boolean gone = tp.topic().equals(topic);
                    if (gone) {
                        records.add(new GroupRecord.OffsetRemoved(group.groupId, tp));
                    }
                    return gone;
                });
            }
        }
        return records.isEmpty() ? CompletableFuture.completedFuture(null) : ctx.store.write(records);
    }

    private static Map<TopicPartition, GroupError> all(List<OffsetCommitRequest.PartitionOffset> offsets,
                                                       GroupError error) {
        Map<TopicPartition, GroupError> result = new HashMap<>();
        offsets.forEach(o -> result.put(o.partition(), error));
        return result;
    }
}
