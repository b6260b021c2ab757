package io.tributary.delivery.group.assignor;

import io.tributary.delivery.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class RangeAssignorTest {
    private final PartitionAssignor assignor = PartitionAssignor.forName("range");

    @Test
    void firstMembersInIdOrderGetTheLargerRanges() {
        // Given three members on a topic of 8 partitions and one of them also on a 2-partition topic
        Map<String, Set<String>> subscriptions = Map.of("c", Set.of("t"), "a", Set.of("t", "u"), "b", Set.of("t"));

        // When
        Map<String, Set<TopicPartition>> result = assignor.assign(
                new AssignmentSpec(subscriptions, Map.of("t", 8, "u", 2), Map.of()));

        // Then t splits 0-2 / 3-5 / 6-7 by member id, and u goes wholly to its only subscriber
        assertThat(result.get("a")).containsExactlyInAnyOrder(new TopicPartition("t", 0), new TopicPartition("t", 1),
                new TopicPartition("t", 2), new TopicPartition("u", 0), new TopicPartition("u", 1));
        assertThat(result.get("b")).containsExactlyInAnyOrder(new TopicPartition("t", 3), new TopicPartition("t", 4),
                new TopicPartition("t", 5));
        assertThat(result.get("c")).containsExactlyInAnyOrder(new TopicPartition("t", 6), new TopicPartition("t", 7));
    }

    @Test
    void missingTopicsAndUnknownAssignorNames() {
        // Given / When a subscription to a topic that does not exist
        Map<String, Set<TopicPartition>> result = assignor.assign(
                new AssignmentSpec(Map.of("a", Set.of("nope")), Map.of(), Map.of()));

        // Then the member is present with nothing, and unknown assignors are not found
        assertThat(result.get("a")).isEmpty();
        assertThat(PartitionAssignor.forName("cooperative-sticky")).isNull();
    }
}
