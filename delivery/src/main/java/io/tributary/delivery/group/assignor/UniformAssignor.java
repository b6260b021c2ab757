package io.tributary.delivery.group.assignor;

import io.tributary.delivery.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Balanced and sticky, like Kafka's uniform assignor: every member ends with as many partitions as
 * any other member that could take them (within one), and a partition moves only when balance needs
 * it. Works for members with different subscriptions too.
 *
 * <p>Three passes: keep each member's still-valid current partitions; give unassigned partitions,
 * the most constrained first, to the eligible member with the fewest; then move partitions from a
 * member to an eligible one holding at least two fewer until no such move exists.
 */
final class UniformAssignor implements PartitionAssignor {
    static final String NAME = "uniform";
    static final UniformAssignor INSTANCE = new UniformAssignor();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Set<TopicPartition>> assign(AssignmentSpec spec) {
        Map<String, Set<TopicPartition>> result = new TreeMap<>();
        Map<TopicPartition, String> owner = new HashMap<>();
        Map<String, List<String>> membersByTopic = new HashMap<>();
        for (String member : new TreeSet<>(spec.subscriptions().keySet())) {
            result.put(member, new TreeSet<>());
            for (String topic : spec.subscriptions().get(member)) {
                if (spec.partitionCounts().containsKey(topic)) {
                    membersByTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(member);
                }
            }
        }
        keepCurrent(spec, result, owner);
        assignRemaining(spec, membersByTopic, result, owner);
        balance(membersByTopic, result);
        return result;
    }

    private static void keepCurrent(AssignmentSpec spec, Map<String, Set<TopicPartition>> result,
                                    Map<TopicPartition, String> owner) {
        for (Map.Entry<String, Set<TopicPartition>> entry : result.entrySet()) {
            Set<TopicPartition> current = spec.currentAssignment().getOrDefault(entry.getKey(), Set.of());
            Set<String> topics = spec.subscriptions().get(entry.getKey());
            for (TopicPartition tp : current) {
                Integer count = spec.partitionCounts().get(tp.topic());
                if (count != null && tp.partition() < count && topics.contains(tp.topic())
                        && owner.putIfAbsent(tp, entry.getKey()) == null) {
                    entry.getValue().add(tp);
                }
            }
        }
    }

    private static void assignRemaining(AssignmentSpec spec, Map<String, List<String>> membersByTopic,
                                        Map<String, Set<TopicPartition>> result, Map<TopicPartition, String> owner) {
        List<TopicPartition> unassigned = new ArrayList<>();
        for (String topic : new TreeSet<>(membersByTopic.keySet())) {
            int count = spec.partitionCounts().get(topic);
            for (int p = 0; p < count; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                if (!owner.containsKey(tp)) {
                    unassigned.add(tp);
                }
            }
        }
        unassigned.sort(Comparator.<TopicPartition>comparingInt(tp -> membersByTopic.get(tp.topic()).size())
                .thenComparing(Comparator.naturalOrder()));
        for (TopicPartition tp : unassigned) {
            String target = leastLoaded(membersByTopic.get(tp.topic()), result);
            result.get(target).add(tp);
            owner.put(tp, target);
        }
    }

    private static void balance(Map<String, List<String>> membersByTopic, Map<String, Set<TopicPartition>> result) {
        boolean moved = true;
        while (moved) {
            moved = false;
            List<String> byLoad = new ArrayList<>(result.keySet());
            byLoad.sort(Comparator.comparingInt((String m) -> result.get(m).size()).reversed()
                    .thenComparing(Comparator.naturalOrder()));
            for (String from : byLoad) {
                for (TopicPartition tp : List.copyOf(result.get(from))) {
                    String to = leastLoaded(membersByTopic.get(tp.topic()), result);
                    if (result.get(to).size() + 1 < result.get(from).size()) {
                        result.get(from).remove(tp);
                        result.get(to).add(tp);
                        moved = true;
                    }
                }
            }
        }
    }

    private static String leastLoaded(List<String> candidates, Map<String, Set<TopicPartition>> result) {
        String best = null;
        int bestSize = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int size = result.get(candidate).size();
            if (size < bestSize) {
                best = candidate;
                bestSize = size;
            }
        }
        return best;
    }
}
