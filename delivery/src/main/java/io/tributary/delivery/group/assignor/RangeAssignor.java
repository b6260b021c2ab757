package io.tributary.delivery.group.assignor;

import io.tributary.delivery.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kafka's range semantics: per topic, the subscribed members in member-id order get contiguous
 * ranges of partitions, the first {@code partitions % members} of them one more than the others. So
 * members subscribed to co-partitioned topics get the same partition numbers of each.
 */
final class RangeAssignor implements PartitionAssignor {
    static final String NAME = "range";
    static final RangeAssignor INSTANCE = new RangeAssignor();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Set<TopicPartition>> assign(AssignmentSpec spec) {
        Map<String, Set<TopicPartition>> result = new HashMap<>();
        Map<String, List<String>> membersByTopic = new HashMap<>();
        for (String member : new TreeSet<>(spec.subscriptions().keySet())) {
            result.put(member, new TreeSet<>());
            for (String topic : spec.subscriptions().get(member)) {
                membersByTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(member);
            }
        }
        for (Map.Entry<String, List<String>> entry : membersByTopic.entrySet()) {
            Integer partitions = spec.partitionCounts().get(entry.getKey());
            if (partitions == null) {
                continue;
            }
            List<String> members = entry.getValue();
            int base = partitions / members.size();
            int extra = partitions % members.size();
            int next = 0;
            for (int i = 0; i < members.size(); i++) {
                int length = base + (i < extra ? 1 : 0);
                for (int p = next; p < next + length; p++) {
                    result.get(members.get(i)).add(new TopicPartition(entry.getKey(), p));
                }
                next += length;
            }
        }
        return result;
    }
}
