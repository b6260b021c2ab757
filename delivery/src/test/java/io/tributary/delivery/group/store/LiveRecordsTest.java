package io.tributary.delivery.group.store;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupConfig;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.GroupScheduler;
import io.tributary.delivery.group.GroupStore;
import io.tributary.delivery.group.GroupType;
import io.tributary.delivery.group.InMemoryGroupStore;
import io.tributary.delivery.group.OffsetAndMetadata;
import io.tributary.delivery.group.TopicMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LiveRecordsTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    /** A clock that stands still and timers that never fire: a rebuilt coordinator only answers queries. */
    private static final GroupScheduler IDLE = new GroupScheduler() {
        @Override
        public long nowMs() {
            return 1_000_000L;
        }

        @Override
        public Cancellable schedule(long delayMs, Runnable task) {
            return () -> {
            };
        }

        @Override
        public void close() {
        }
    };

    private static GroupRecord.OffsetCommitted commit(String group, TopicPartition tp, long offset) {
        return new GroupRecord.OffsetCommitted(group, tp, new OffsetAndMetadata(offset, 0, "", 5L));
    }

    @Test
    void theLastRecordPerKeyIsKeptInTheOrderOfLastWritesAndTombstonesAreDropped() {
        // Given
        LiveRecords live = new LiveRecords();
        GroupRecord.GroupMetadata metadata = new GroupRecord.GroupMetadata("g", GroupType.CLASSIC, 3, "consumer", "range");

        // When
        live.apply(commit("g", T0, 1));
        live.apply(commit("g", T1, 1));
        live.apply(metadata);
        live.apply(commit("g", T0, 2));
        live.apply(commit("h", T0, 7));
        live.apply(new GroupRecord.OffsetRemoved("h", T0));

        // Then
        assertThat(live.snapshot()).containsExactly(commit("g", T1, 1), metadata, commit("g", T0, 2));
        assertThat(live.size()).isEqualTo(3);
    }

    @Test
    void aRemovedGroupLeavesNoneOfItsRecords() {
        // Given a group with offsets under keys that no tombstone of their own covers
        LiveRecords live = new LiveRecords();
        live.apply(commit("g", T0, 1));
        live.apply(new GroupRecord.GroupMetadata("g", GroupType.CONSUMER, 2, "consumer", null));
        live.apply(commit("other", T0, 4));

        // When the group is removed, then written to again
        live.apply(new GroupRecord.GroupRemoved("g"));
        live.apply(commit("g", T1, 9));

        // Then only what came after the removal is live for it
        assertThat(live.snapshot()).containsExactly(commit("other", T0, 4), commit("g", T1, 9));
    }

    @Test
    void theByteEstimateFollowsTheLiveRecords() {
        // Given
        LiveRecords live = new LiveRecords();
        live.apply(commit("g", T0, 1));
        long one = live.bytes();

        // When the key is overwritten, another added, then the group removed
        live.apply(commit("g", T0, 2));
        long overwritten = live.bytes();
        live.apply(commit("g", T1, 2));
        long two = live.bytes();
        live.apply(new GroupRecord.GroupRemoved("g"));

        // Then
        assertThat(one).isPositive();
        assertThat(overwritten).isEqualTo(one);
        assertThat(two).isEqualTo(2 * one);
        assertThat(live.bytes()).isZero();
    }

    @Test
    void replayingTheSnapshotRebuildsTheSameGroupsAsReplayingEverything() throws Exception {
        for (int seed = 0; seed < 300; seed++) {
            // Given a random history of commits, removals, metadata and group deletions over few keys
            Random random = new Random(seed);
            List<String> groups = List.of("a", "b");
            List<TopicPartition> partitions = List.of(T0, T1);
            InMemoryGroupStore everything = GroupStore.inMemory();
            LiveRecords live = new LiveRecords();
            for (int i = 0; i < 30; i++) {
                GroupRecord record = randomRecord(random, groups.get(random.nextInt(groups.size())),
                        partitions.get(random.nextInt(partitions.size())), i);
                everything.write(List.of(record));
                live.apply(record);
            }
            InMemoryGroupStore snapshot = GroupStore.inMemory();
            snapshot.write(live.snapshot());

            // When a coordinator is rebuilt from each
            Map<String, Object> fromEverything = groupState(everything, groups);
            Map<String, Object> fromSnapshot = groupState(snapshot, groups);

            // Then they agree
            assertThat(fromSnapshot).as("history %d: %s", seed, everything.records()).isEqualTo(fromEverything);
            assertThat(live.size()).isLessThanOrEqualTo(groups.size() * (partitions.size() + 1));
        }
    }

    private static GroupRecord randomRecord(Random random, String group, TopicPartition tp, int i) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return new GroupRecord.GroupRemoved(group);
        }
        if (kind < 3) {
            return new GroupRecord.GroupMetadata(group, random.nextBoolean() ? GroupType.CLASSIC : GroupType.CONSUMER,
                    i, "consumer", random.nextBoolean() ? "range" : null);
        }
        if (kind < 5) {
            return new GroupRecord.OffsetRemoved(group, tp);
        }
        return commit(group, tp, i);
    }

    /** What a coordinator rebuilt from {@code store} shows: listings, offsets and consumer epochs per group. */
    private static Map<String, Object> groupState(GroupStore store, List<String> groups) throws Exception {
        try (GroupCoordinator coordinator = GroupCoordinator.start(GroupConfig.defaults(), IDLE, store,
                     new TopicMetadata() {
                         @Override
                         public int partitionCount(String topic) {
                             return 2;
                         }

                         @Override
                         public Collection<String> topicNames() {
                             return List.of("t", "u");
                         }
                     })) {
            Map<String, Object> state = new HashMap<>();
            state.put("listings", new HashSet<>(coordinator.listGroups(Set.of(), Set.of())));
            for (String group : groups) {
                state.put(group + "/offsets", coordinator.fetchOffsets(group, null, -1, null).offsets());
                state.put(group + "/epoch", coordinator.describeConsumerGroup(group).groupEpoch());
            }
            return state;
        }
    }
}
