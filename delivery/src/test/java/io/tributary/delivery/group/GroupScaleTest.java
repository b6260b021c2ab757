package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** 200 members across 20 groups (10 classic, 10 consumer-protocol) settle in bounded time. */
@Timeout(30)
class GroupScaleTest {
    private static final int GROUPS_PER_PROTOCOL = 10;
    private static final int MEMBERS_PER_GROUP = 10;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeTopics topics = new FakeTopics().with("a", 16).with("b", 24).with("c", 8);
    private GroupCoordinator coordinator;

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void twoHundredMembersSettle() throws Exception {
        // Given a coordinator with a 3 s initial rebalance delay (Kafka's built-in default), so classic members join one generation
        coordinator = GroupCoordinator.start(GroupConfig.defaults().withInitialRebalanceDelayMs(3000), scheduler,
                GroupStore.inMemory(), topics);
        long started = System.nanoTime();

        // When 100 classic members join 10 groups and 100 consumer-protocol members join 10 others
        List<List<CompletableFuture<JoinGroupResult>>> classicJoins = new ArrayList<>();
        for (int g = 0; g < GROUPS_PER_PROTOCOL; g++) {
            List<CompletableFuture<JoinGroupResult>> joins = new ArrayList<>();
            for (int m = 0; m < MEMBERS_PER_GROUP; m++) {
                JoinGroupRequest first = request("classic-" + g, "");
                String id = coordinator.joinGroup(first).join().memberId();
                joins.add(coordinator.joinGroup(request("classic-" + g, id)));
            }
            classicJoins.add(joins);
        }
        Map<String, List<String[]>> consumers = new HashMap<>();
        Map<String, Map<String, Set<TopicPartition>>> owned = new HashMap<>();
        for (int g = 0; g < GROUPS_PER_PROTOCOL; g++) {
            String group = "consumer-" + g;
            owned.put(group, new HashMap<>());
            consumers.put(group, new ArrayList<>());
            for (int m = 0; m < MEMBERS_PER_GROUP; m++) {
                ConsumerHeartbeatResult joined = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(group,
                        "", 0, null, null, 30_000, List.of("a", "b", "c"), null, g % 2 == 0 ? "uniform" : "range",
                        List.of(), "c", "h"));
                consumers.get(group).add(new String[]{joined.memberId(), Integer.toString(joined.memberEpoch())});
                owned.get(group).put(joined.memberId(), new HashSet<>(joined.assignment()));
            }
        }
        scheduler.advance(6_000);
        for (int g = 0; g < GROUPS_PER_PROTOCOL; g++) {
            for (JoinGroupResult r : classicJoins.get(g).stream().map(CompletableFuture::join).toList()) {
                Map<String, byte[]> assignments = new HashMap<>();
                if (r.memberId().equals(r.leaderId())) {
                    r.members().forEach(m -> assignments.put(m.memberId(), new byte[]{1}));
                }
                coordinator.syncGroup(new SyncGroupRequest("classic-" + g, r.memberId(), null, r.generationId(),
                        null, null, assignments));
            }
        }
        for (int round = 0; round < 10; round++) {
            for (Map.Entry<String, List<String[]>> group : consumers.entrySet()) {
                for (String[] member : group.getValue()) {
                    ConsumerHeartbeatResult beat = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(
                            group.getKey(), member[0], Integer.parseInt(member[1]), null, null, 30_000, null, null, null,
                            List.copyOf(owned.get(group.getKey()).get(member[0])), "c", "h"));
                    assertThat(beat.error()).isEqualTo(GroupError.NONE);
                    member[1] = Integer.toString(beat.memberEpoch());
                    owned.get(group.getKey()).put(member[0], new HashSet<>(beat.assignment()));
                }
            }
        }

        // Then every group is stable, with every member in it, and every partition owned once per consumer group
        List<GroupListing> listings = coordinator.listGroups(Set.of(), Set.of());
        assertThat(listings).hasSize(2 * GROUPS_PER_PROTOCOL).allMatch(l -> l.state() == GroupState.STABLE);
        for (int g = 0; g < GROUPS_PER_PROTOCOL; g++) {
            assertThat(coordinator.describeClassicGroup("classic-" + g).members()).hasSize(MEMBERS_PER_GROUP);
            Set<TopicPartition> seen = new HashSet<>();
            owned.get("consumer-" + g).values().forEach(set -> set.forEach(tp -> assertThat(seen.add(tp)).isTrue()));
            assertThat(seen).hasSize(16 + 24 + 8);
        }
        assertThat(System.nanoTime() - started).isLessThan(10_000_000_000L);
    }

    private static JoinGroupRequest request(String group, String memberId) {
        return new JoinGroupRequest(group, memberId, null, "consumer", List.of(new ClassicProtocol("range", new byte[0])),
                10_000, 60_000, "c", "h", true);
    }
}
