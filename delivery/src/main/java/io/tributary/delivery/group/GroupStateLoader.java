package io.tributary.delivery.group;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rebuilds groups from the {@link GroupStore} at start: the last record per key wins. Restored
 * groups have no members (clients rejoin after a restart) but keep their offsets and their
 * generation or epoch, so that no generation is reused. Their empty-since time, which offset expiry
 * counts from, is the stored one when the group was empty; the restart when it had members (or the
 * record predates the field); and none for a group without metadata (offsets committed from
 * outside any group), whose offsets then expire by their commit time alone, as in Kafka.
 * A group left with neither offsets nor a metadata record is not restored: nothing durable
 * describes it, and the store's cleaning (which keeps only live records) could not keep it either.
 */
final class GroupStateLoader {
    /** Empty-since time of a group that has none of its own: its offsets' commit times decide. */
    private static final long NEVER = Long.MIN_VALUE / 2;

    private GroupStateLoader() {
    }

    static void load(GroupContext ctx) throws IOException {
        GroupRegistry registry = ctx.registry;
        long now = ctx.now();
        Set<String> withMetadata = new HashSet<>();
        ctx.store.replay(record -> {
            Group group = registry.get(record.groupId());
            if (record instanceof GroupRecord.OffsetCommitted committed) {
                if (group == null) {
                    group = new ClassicGroup(record.groupId(), NEVER);
                    registry.put(group);
                }
                group.offsets.put(committed.partition(), committed.offset());
            } else if (record instanceof GroupRecord.OffsetRemoved removed) {
                if (group != null) {
                    group.offsets.remove(removed.partition());
                }
            } else if (record instanceof GroupRecord.GroupMetadata metadata) {
                restoreMetadata(registry, group, metadata, now);
                withMetadata.add(record.groupId());
            } else if (record instanceof GroupRecord.GroupRemoved && group != null) {
                group.kill();
                registry.remove(group);
                withMetadata.remove(record.groupId());
            }
        });
        for (Group group : List.copyOf(registry.all())) {
            if (group.offsets.isEmpty() && !withMetadata.contains(group.groupId)) {
                registry.remove(group);
            }
        }
    }

    private static void restoreMetadata(GroupRegistry registry, Group existing, GroupRecord.GroupMetadata metadata,
                                        long now) {
        Group group = existing;
        if (group == null || group.type() != metadata.type()) {
            group = metadata.type() == GroupType.CLASSIC
                    ? new ClassicGroup(metadata.groupId(), now)
                    : new ConsumerGroup(metadata.groupId(), now);
            if (existing != null) {
                group.offsets.putAll(existing.offsets);
            }
            registry.put(group);
        }
        group.emptySinceMs = metadata.emptySinceMs() == GroupRecord.GroupMetadata.HAS_MEMBERS ? now
                : metadata.emptySinceMs();
        if (group instanceof ClassicGroup classic) {
            classic.generationId = metadata.generationOrEpoch();
            classic.protocolType = metadata.protocolType();
        } else if (group instanceof ConsumerGroup consumer) {
            consumer.groupEpoch = metadata.generationOrEpoch();
            consumer.assignmentEpoch = metadata.generationOrEpoch();
        }
    }
}
