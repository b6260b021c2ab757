package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** Listing, describing and deleting groups. */
final class GroupAdmin {
    private final GroupContext ctx;

    GroupAdmin(GroupContext ctx) {
        this.ctx = ctx;
    }

    List<GroupListing> list(Set<GroupState> states, Set<GroupType> types) {
        List<GroupListing> listings = new ArrayList<>();
        for (Group group : List.copyOf(ctx.registry.all())) {
            synchronized (group) {
                if (group.dead) {
                    continue;
                }
                GroupState state = group.state();
                if ((states.isEmpty() || states.contains(state)) && (types.isEmpty() || types.contains(group.type()))) {
                    listings.add(new GroupListing(group.groupId, group.protocolType(), state, group.type()));
                }
            }
        }
        return listings;
    }

    ClassicGroupDescription describeClassic(String groupId) {
        return ctx.registry.withGroup(groupId, group -> {
            if (group == null) {
                return new ClassicGroupDescription(groupId, GroupError.NONE, GroupState.DEAD, "", "", List.of());
            }
            if (!(group instanceof ClassicGroup classic)) {
                return new ClassicGroupDescription(groupId, GroupError.GROUP_ID_NOT_FOUND, group.state(),
                        group.protocolType(), "", List.of());
            }
            List<ClassicGroupDescription.Member> members = new ArrayList<>();
            boolean stable = classic.state == GroupState.STABLE;
            for (ClassicMember member : classic.members.values()) {
                byte[] metadata = classic.protocolName == null ? null : member.metadata(classic.protocolName);
                members.add(new ClassicGroupDescription.Member(member.memberId, member.groupInstanceId,
                        member.clientId, member.clientHost, metadata == null ? new byte[0] : metadata,
                        stable ? member.assignment : new byte[0]));
            }
            return new ClassicGroupDescription(groupId, GroupError.NONE, classic.state, classic.protocolType(),
                    classic.protocolName == null ? "" : classic.protocolName, members);
        });
    }

    ConsumerGroupDescription describeConsumer(String groupId) {
        return ctx.registry.withGroup(groupId, group -> {
            if (!(group instanceof ConsumerGroup consumer)) {
                return new ConsumerGroupDescription(groupId, GroupError.GROUP_ID_NOT_FOUND, GroupState.DEAD, 0, 0,
                        "", List.of());
            }
            List<ConsumerGroupDescription.Member> members = new ArrayList<>();
            String assignor = null;
            for (ConsumerMember member : consumer.members.values()) {
                if (assignor == null) {
                    assignor = member.serverAssignor;
                }
                members.add(new ConsumerGroupDescription.Member(member.memberId, member.groupInstanceId,
                        member.rackId, member.memberEpoch, member.clientId, member.clientHost,
                        member.subscribedTopicNames, member.subscribedTopicRegex, Set.copyOf(member.assigned),
                        Set.copyOf(new TreeSet<>(consumer.targetAssignment.getOrDefault(member.memberId, Set.of())))));
            }
            return new ConsumerGroupDescription(groupId, GroupError.NONE, consumer.state(), consumer.groupEpoch,
                    consumer.assignmentEpoch, assignor == null ? ctx.config.consumerDefaultAssignor() : assignor, members);
        });
    }

    CompletableFuture<Map<String, GroupError>> delete(List<String> groupIds) {
        Map<String, GroupError> result = new HashMap<>();
        List<GroupRecord> records = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (String groupId : groupIds) {
            GroupError error = ctx.registry.withGroup(groupId, group -> {
                if (group == null) {
                    return GroupError.GROUP_ID_NOT_FOUND;
                }
                if (group.hasMembers()) {
                    return GroupError.NON_EMPTY_GROUP;
                }
                for (TopicPartition tp : group.offsets.keySet()) {
                    records.add(new GroupRecord.OffsetRemoved(groupId, tp));
                }
                records.add(new GroupRecord.GroupRemoved(groupId));
                group.kill();
                ctx.registry.remove(group);
                return GroupError.NONE;
            });
            result.put(groupId, error);
            if (error == GroupError.NONE) {
                deleted.add(groupId);
            }
        }
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(result);
        }
        return ctx.store.write(records).handle((ignored, failure) -> {
            if (failure != null) {
                deleted.forEach(id -> result.put(id, GroupError.COORDINATOR_NOT_AVAILABLE));
            }
            return result;
        });
    }
}
