package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Administrative operations on share groups: start offsets (describe, alter, delete) and deleting groups.
 * Changes need a group without members (NON_EMPTY_GROUP otherwise), as in Kafka, and are durable when the
 * returned futures complete.
 */
public final class ShareAdmin {
    private final ShareEngine engine;

    ShareAdmin(ShareEngine engine) {
        this.engine = engine;
    }

    /** A share partition's start offset and how many records from there to the high watermark are still to do. */
    public record StartOffset(long startOffset, long lag) {
    }

    /** A change's outcome: the error, and when it is durable. */
    public record Change(ShareError error, CompletableFuture<Void> durable) {
        static Change failed(ShareError error) {
            return new Change(error, CompletableFuture.completedFuture(null));
        }
    }

    /**
     * Start offsets of the group's share partitions in {@code partitions} (all it has when null); a partition
     * the group never read is absent. Null if the group does not exist.
     */
    public Map<TopicPartition, StartOffset> startOffsets(String groupId, Set<TopicPartition> partitions) {
        ShareGroup group = engine.group(groupId);
        if (group == null) {
            return null;
        }
        Map<TopicPartition, StartOffset> result = new TreeMap<>();
        group.partitions().forEach((tp, partition) -> {
            if (partitions == null || partitions.contains(tp)) {
                ShareSnapshot snapshot = partition.snapshot();
                long settled = 0;
                for (ShareSnapshot.Run run : snapshot.runs()) {
                    if (run.state() == RecordState.ACKNOWLEDGED || run.state() == RecordState.ARCHIVED) {
                        settled += run.lastOffset() - run.firstOffset() + 1;
                    }
                }
                // deferred records are not delivered yet: they count as lag, below the start and in archived runs
                for (ShareSnapshot.Deferred d : snapshot.deferred()) {
                    settled -= Math.max(0, Math.min(d.lastOffset(), snapshot.startOffset() - 1) - d.firstOffset() + 1);
                    for (ShareSnapshot.Run run : snapshot.runs()) {
                        if (run.state() == RecordState.ARCHIVED) {
                            settled -= Math.max(0, Math.min(d.lastOffset(), run.lastOffset())
                                    - Math.max(d.firstOffset(), run.firstOffset()) + 1);
                        }
                    }
                }
                long lag = Math.max(0, engine.offsets().highWatermark(tp) - snapshot.startOffset() - settled);
                result.put(tp, new StartOffset(snapshot.startOffset(), lag));
            }
        });
        return result;
    }

    /** Moves the start of each partition to its offset, forgetting the window (AlterShareGroupOffsets). */
    public Change alterStartOffsets(String groupId, Map<TopicPartition, Long> offsets) {
        ShareGroup group = engine.group(groupId);
        if (group == null) {
            group = engine.createGroup(groupId);
        }
        if (!group.isEmpty()) {
            return Change.failed(ShareError.NON_EMPTY_GROUP);
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            group.resetPartition(e.getKey(), e.getValue());
            writes.add(engine.persist(groupId, e.getKey()));
        }
        return new Change(ShareError.NONE, CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
    }

    /** Forgets the share partitions of {@code topics}: they start afresh when next read (DeleteShareGroupOffsets). */
    public Change deleteStartOffsets(String groupId, Set<String> topics) {
        ShareGroup group = engine.group(groupId);
        if (group == null) {
            return Change.failed(ShareError.GROUP_ID_NOT_FOUND);
        }
        if (!group.isEmpty()) {
            return Change.failed(ShareError.NON_EMPTY_GROUP);
        }
        List<TopicPartition> removed = group.removePartitions(tp -> topics.contains(tp.topic()));
        return new Change(ShareError.NONE, engine.forget(groupId, removed));
    }

    /** Deletes an empty share group and all its state (DeleteGroups). */
    public Change deleteGroup(String groupId) {
        ShareGroup group = engine.group(groupId);
        if (group == null) {
            return Change.failed(ShareError.GROUP_ID_NOT_FOUND);
        }
        if (!group.isEmpty()) {
            return Change.failed(ShareError.NON_EMPTY_GROUP);
        }
        CompletableFuture<Void> forgotten = engine.forget(groupId, group.removePartitions(tp -> true));
        engine.removeGroup(groupId, group);
        return new Change(ShareError.NONE, forgotten);
    }
}
