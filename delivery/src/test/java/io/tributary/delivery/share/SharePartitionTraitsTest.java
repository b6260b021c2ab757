package io.tributary.delivery.share;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The window's beyond-Kafka rules: expiry, deliver-at, priority, retry backoff, key affinity. */
@Timeout(10)
class SharePartitionTraitsTest {
    private static final int LIMIT = 5;
    private static final long LOCK = 1_000;
    private static final long NOW = 10_000;
    private static final int P = RecordTraits.DEFAULT_PRIORITY;

    private final SharePartition partition = new SharePartition(100, 50);

    private static RecordTraits traits() {
        return RecordTraits.create();
    }

    @Test
    void anExpiredRecordIsArchivedAndNeverAcquiredWhileALiveOneIs() {
        RecordTraits traits = traits();
        traits.add(100, 0, NOW - 1, P, false, 0);
        traits.add(101, 0, NOW + 60_000, P, false, 0);

        List<AcquiredRange> ranges = partition.acquire("m1", 100, 102, 10, RecordFilter.ALL, traits, NOW, LOCK);

        assertThat(ranges).containsExactly(new AcquiredRange(101, 102, 1));
        assertThat(partition.startOffset()).isEqualTo(101);
        assertThat(partition.acquire("m2", 100, 102, 10, RecordFilter.ALL, traits, NOW, LOCK)).isEmpty();
    }

    @Test
    void aRecordThatExpiresWhileReleasedIsArchivedOnTheNextAcquisition() {
        RecordTraits traits = traits();
        traits.add(100, 0, NOW + 500, P, false, 0);
        partition.acquire("m1", 100, 100, 10, RecordFilter.ALL, traits, NOW, LOCK);
        partition.acknowledge("m1", 100, 100, AcknowledgeType.RELEASE, LIMIT, NOW, LOCK);

        List<AcquiredRange> ranges = partition.acquire("m2", 100, 100, 10, RecordFilter.ALL, RecordTraits.NONE,
                NOW + 500, LOCK);

        assertThat(ranges).isEmpty();
        assertThat(partition.startOffset()).isEqualTo(101);
    }

    @Test
    void aDelayedRecordStaysAvailableWithoutHoldingBackLaterOnesAndIsAcquiredWhenDue() {
        RecordTraits traits = traits();
        traits.add(101, NOW + 5_000, RecordTraits.NEVER, P, false, 0);

        List<AcquiredRange> early = partition.acquire("m1", 100, 103, 10, RecordFilter.ALL, traits, NOW, LOCK);

        assertThat(early).containsExactly(new AcquiredRange(100, 100, 1), new AcquiredRange(102, 103, 1));
        assertThat(partition.state(101)).isEqualTo(RecordState.AVAILABLE);
        assertThat(partition.nextAcquirableOffset()).isEqualTo(101);
        assertThat(partition.acquire("m2", 101, 103, 10, RecordFilter.ALL, RecordTraits.NONE, NOW + 4_999, LOCK))
                .isEmpty();
        assertThat(partition.acquire("m2", 101, 103, 10, RecordFilter.ALL, RecordTraits.NONE, NOW + 5_000, LOCK))
                .containsExactly(new AcquiredRange(101, 101, 1));
    }

    @Test
    void afterARestoreTheTraitsAreLoadedAgainFromTheStart() {
        RecordTraits traits = traits();
        traits.add(101, NOW + 5_000, RecordTraits.NEVER, P, false, 0);
        partition.acquire("m1", 100, 102, 10, RecordFilter.ALL, traits, NOW, LOCK);
        partition.acknowledge("m1", 100, 100, AcknowledgeType.ACCEPT, LIMIT, NOW, LOCK);
        assertThat(partition.traitsFrom()).isEqualTo(103);

        SharePartition restored = SharePartition.restore(partition.snapshot(), 50);

        assertThat(restored.traitsFrom()).isEqualTo(101);
        assertThat(restored.acquire("m1", 101, 102, 10, RecordFilter.ALL, traits, NOW, LOCK))
                .containsExactly(new AcquiredRange(102, 102, 2));
        assertThat(restored.acquire("m1", 101, 102, 10, RecordFilter.ALL, RecordTraits.NONE, NOW + 5_000, LOCK))
                .containsExactly(new AcquiredRange(101, 101, 1));
    }

    @Test
    void higherPrioritiesAreAcquiredFirstAndFifoWithinOne() {
        RecordTraits traits = traits();
        traits.add(100, 0, RecordTraits.NEVER, 1, false, 0);
        traits.add(101, 0, RecordTraits.NEVER, 9, false, 0);
        traits.add(103, 0, RecordTraits.NEVER, 9, false, 0);
        traits.add(104, 0, RecordTraits.NEVER, 7, false, 0);
        // 102 and 105 have the default, 4

        List<Long> order = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<AcquiredRange> one = partition.acquire("m1", partition.nextAcquirableOffset(), 105, 1,
                    RecordFilter.ALL, i == 0 ? traits : RecordTraits.NONE, NOW, LOCK);
            assertThat(one).hasSize(1);
            order.add(one.get(0).firstOffset());
        }

        assertThat(order).containsExactly(101L, 103L, 104L, 102L, 105L, 100L);
    }

    @Test
    void aReleasedRecordWaitsTheBackoffLevelOfItsDeliveryCount() {
        partition.extensions(new ShareExtensions(new long[] {1_000, 3_000}, false));
        partition.acquire("m1", 100, 101, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK);

        partition.acknowledge("m1", 100, 100, AcknowledgeType.RELEASE, LIMIT, NOW, LOCK);

        assertThat(partition.acquire("m2", 100, 101, 10, RecordFilter.ALL, RecordTraits.NONE, NOW + 999, LOCK))
                .isEmpty();
        assertThat(partition.acquire("m2", 100, 101, 10, RecordFilter.ALL, RecordTraits.NONE, NOW + 1_000, LOCK))
                .containsExactly(new AcquiredRange(100, 100, 2));

        // the second delivery's lock expires: level 2, and 3 s for every later one
        long expired = NOW + 1_000 + LOCK;
        assertThat(partition.expireLocks(expired, LIMIT)).isEqualTo(2);
        assertThat(partition.acquire("m2", 100, 101, 10, RecordFilter.ALL, RecordTraits.NONE, expired + 2_999, LOCK))
                .containsExactly(new AcquiredRange(101, 101, 2));
        assertThat(partition.acquire("m2", 100, 101, 10, RecordFilter.ALL, RecordTraits.NONE, expired + 3_000, LOCK))
                .containsExactly(new AcquiredRange(100, 100, 3));
    }

    @Test
    void withoutBackoffAReleasedRecordIsAvailableAtOnce() {
        partition.acquire("m1", 100, 100, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK);

        partition.acknowledge("m1", 100, 100, AcknowledgeType.RELEASE, LIMIT, NOW, LOCK);

        assertThat(partition.acquire("m2", 100, 100, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK))
                .containsExactly(new AcquiredRange(100, 100, 2));
    }

    @Test
    void withKeyAffinityAKeyIsHeldByOneMemberAtATimeWhileOtherKeysGoInParallel() {
        partition.extensions(new ShareExtensions(new long[0], true));
        RecordTraits traits = traits();
        int a = "A".hashCode();
        int b = "B".hashCode();
        traits.add(100, 0, RecordTraits.NEVER, P, true, a);
        traits.add(101, 0, RecordTraits.NEVER, P, true, a);
        traits.add(102, 0, RecordTraits.NEVER, P, true, b);
        traits.add(103, 0, RecordTraits.NEVER, P, true, a);

        // m1 takes only the first record of A (and nothing of B, it wanted one record)
        assertThat(partition.acquire("m1", 100, 103, 1, RecordFilter.ALL, traits, NOW, LOCK))
                .containsExactly(new AcquiredRange(100, 100, 1));
        // m2 may not have later records of A while m1 holds 100; B is free
        assertThat(partition.acquire("m2", 101, 103, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK))
                .containsExactly(new AcquiredRange(102, 102, 1));
        // m1, holding A, gets the rest of A in order
        assertThat(partition.acquire("m1", 101, 103, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK))
                .containsExactly(new AcquiredRange(101, 101, 1), new AcquiredRange(103, 103, 1));
    }

    @Test
    void withKeyAffinityAReleasedRecordHoldsBackTheLaterRecordsOfItsKey() {
        partition.extensions(new ShareExtensions(new long[0], true));
        RecordTraits traits = traits();
        traits.add(100, 0, RecordTraits.NEVER, P, true, 7);
        traits.add(101, 0, RecordTraits.NEVER, P, true, 7);
        partition.acquire("m1", 100, 100, 1, RecordFilter.ALL, traits, NOW, LOCK);
        partition.acknowledge("m1", 100, 100, AcknowledgeType.RELEASE, LIMIT, NOW, LOCK);
        RecordFilter not100 = offset -> offset != 100;

        // m2 refuses 100 (a filter), so it may not take 101 either: the key's order is kept
        assertThat(partition.acquire("m2", 100, 101, 10, not100, traits, NOW, LOCK)).isEmpty();
        assertThat(partition.acquire("m2", 100, 101, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK))
                .containsExactly(new AcquiredRange(100, 100, 2), new AcquiredRange(101, 101, 1));
    }

    @Test
    void withKeyAffinityAReleasedEarlierRecordIsNotHandedToASecondMemberWhileTheFirstHoldsALaterOne() {
        partition.extensions(new ShareExtensions(new long[0], true));
        RecordTraits traits = traits();
        traits.add(100, 0, RecordTraits.NEVER, P, true, 7);
        traits.add(101, 0, RecordTraits.NEVER, P, true, 7);
        partition.acquire("m1", 100, 101, 10, RecordFilter.ALL, traits, NOW, LOCK);
        partition.acknowledge("m1", 100, 100, AcknowledgeType.RELEASE, LIMIT, NOW, LOCK);

        // m1 still holds 101 of the key: m2 may not have 100
        assertThat(partition.acquire("m2", 100, 101, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK)).isEmpty();
        assertThat(partition.acquire("m1", 100, 101, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK))
                .containsExactly(new AcquiredRange(100, 100, 2));
    }

    @Test
    void withKeyAffinityAndTooManyRecordsOnlyTheFirstOfEachKeyIsTakenByPriority() {
        partition.extensions(new ShareExtensions(new long[0], true));
        RecordTraits traits = traits();
        traits.add(100, 0, RecordTraits.NEVER, 1, true, 1);
        traits.add(101, 0, RecordTraits.NEVER, 9, true, 1);
        traits.add(102, 0, RecordTraits.NEVER, 5, true, 2);

        // 101 has the highest priority but must not overtake 100 of its key
        assertThat(partition.acquire("m1", 100, 102, 1, RecordFilter.ALL, traits, NOW, LOCK))
                .containsExactly(new AcquiredRange(102, 102, 1));
    }

    @Test
    void backoffLevelsParseRocketMqStyleDurations() {
        assertThat(ShareExtensions.parseLevels("1s 5s, 1m 2h 250ms 3 1d"))
                .containsExactly(1_000, 5_000, 60_000, 7_200_000, 250, 3, 86_400_000);
        assertThat(ShareExtensions.parseLevels("  ")).isEmpty();
        assertThat(ShareGroupConfigs.invalid(ShareGroupConfigs.RETRY_BACKOFF_LEVELS, "1s 5x")).contains("5x");
        assertThat(ShareGroupConfigs.invalid(ShareGroupConfigs.KEY_AFFINITY, "yes")).isNotNull();
        assertThat(ShareGroupConfigs.invalid(ShareGroupConfigs.KEY_AFFINITY, "true")).isNull();
        assertThat(ShareGroupConfigs.extensions(java.util.Map.of(ShareGroupConfigs.KEY_AFFINITY, "true",
                ShareGroupConfigs.RETRY_BACKOFF_LEVELS, "1s 5s")))
                .isEqualTo(new ShareExtensions(new long[] {1_000, 5_000}, true));
    }
}
