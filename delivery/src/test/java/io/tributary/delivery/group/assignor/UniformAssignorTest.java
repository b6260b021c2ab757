package io.tributary.delivery.group.assignor;

import io.tributary.delivery.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class UniformAssignorTest {
    private final PartitionAssignor assignor = PartitionAssignor.forName("uniform");

    private static void assertEachPartitionOnce(Map<String, Set<TopicPartition>> result, int expectedTotal) {
        Set<TopicPartition> seen = new HashSet<>();
        result.values().forEach(set -> set.forEach(tp -> assertThat(seen.add(tp)).isTrue()));
        assertThat(seen).hasSize(expectedTotal);
    }

    @Test
    void homogeneousMembersGetWithinOneOfEachOther() {
        // Given 4 members subscribed to two topics with 7 + 6 partitions
        Map<String, Set<String>> subscriptions = new HashMap<>();
        for (String m : new String[]{"m1", "m2", "m3", "m4"}) {
            subscriptions.put(m, Set.of("a", "b"));
        }

        // When
        Map<String, Set<TopicPartition>> result = assignor.assign(
                new AssignmentSpec(subscriptions, Map.of("a", 7, "b", 6), Map.of()));

        // Then 13 partitions split 4/3/3/3
        assertEachPartitionOnce(result, 13);
        assertThat(result.values()).allMatch(s -> s.size() == 3 || s.size() == 4);
    }

    @Test
    void aNewMemberTakesOnlyWhatBalanceRequires() {
        // Given two members owning 3 partitions each
        Map<String, Set<String>> two = Map.of("m1", Set.of("t"), "m2", Set.of("t"));
        Map<String, Set<TopicPartition>> before = assignor.assign(new AssignmentSpec(two, Map.of("t", 6), Map.of()));

        // When a third member joins
        Map<String, Set<String>> three = Map.of("m1", Set.of("t"), "m2", Set.of("t"), "m3", Set.of("t"));
        Map<String, Set<TopicPartition>> after = assignor.assign(new AssignmentSpec(three, Map.of("t", 6), before));

        // Then m1 and m2 keep two of their own each, and m3 gets one from each
        assertEachPartitionOnce(after, 6);
        assertThat(before.get("m1")).containsAll(after.get("m1"));
        assertThat(before.get("m2")).containsAll(after.get("m2"));
        assertThat(after.values()).allMatch(s -> s.size() == 2);
    }

    @Test
    void membersOnlyGetTopicsTheySubscribeTo() {
        // Given m1 on a only, m2 on a and b
        Map<String, Set<String>> subscriptions = Map.of("m1", Set.of("a"), "m2", Set.of("a", "b"));

        // When
        Map<String, Set<TopicPartition>> result = assignor.assign(
                new AssignmentSpec(subscriptions, Map.of("a", 4, "b", 4), Map.of()));

        // Then m1 holds only a-partitions, and the load is as even as the subscriptions allow
        assertEachPartitionOnce(result, 8);
        assertThat(result.get("m1")).allMatch(tp -> tp.topic().equals("a")).hasSize(4);
        assertThat(result.get("m2")).allMatch(tp -> tp.topic().equals("b")).hasSize(4);
    }
}
