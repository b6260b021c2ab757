package io.tributary.delivery.share;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class SharePartitionTest {
    private static final int LIMIT = 3;
    private static final long LOCK = 1_000;

    private final SharePartition partition = new SharePartition(100, 50);

    @Test
    void aRecordWaitingForItsDeadLetterIsNeverAcquiredAgain() {
        // Given a dead-lettering group where m1 rejected 101 (ARCHIVING) and released 100
        partition.deadLettering(true);
        partition.acquire("m1", 100, 102, 500, RecordFilter.ALL, 0, LOCK);
        partition.acknowledge("m1", 101, 101, AcknowledgeType.REJECT, LIMIT, 0, LOCK);
        partition.acknowledge("m1", 100, 100, AcknowledgeType.RELEASE, LIMIT, 0, LOCK);

        // When m2 reads the range again
        List<AcquiredRange> ranges = partition.acquire("m2", 100, 102, 500, RecordFilter.ALL, 0, LOCK);

        // Then it gets the released record only
        assertThat(ranges).containsExactly(new AcquiredRange(100, 100, 2));
        assertThat(partition.state(101)).isEqualTo(RecordState.ARCHIVING);
    }

    @Test
    void freshRecordsAreAcquiredOnceAsOneRangeAndNotHandedToASecondMember() {
        // When m1 acquires 100..109 and m2 then asks for the same offsets
        List<AcquiredRange> first = partition.acquire("m1", 100, 109, 500, RecordFilter.ALL, 0, LOCK);
        List<AcquiredRange> second = partition.acquire("m2", 100, 109, 500, RecordFilter.ALL, 0, LOCK);

        // Then m1 has them all with delivery count 1 and m2 none
        assertThat(first).containsExactly(new AcquiredRange(100, 109, 1));
        assertThat(second).isEmpty();
        assertThat(partition.endOffset()).isEqualTo(110);
        assertThat(partition.nextAcquirableOffset()).isEqualTo(110);
    }

    @Test
    void maxRecordsBoundsOneAcquisition() {
        List<AcquiredRange> ranges = partition.acquire("m1", 100, 199, 7, RecordFilter.ALL, 0, LOCK);

        assertThat(ranges).containsExactly(new AcquiredRange(100, 106, 1));
    }

    @Test
    void theWindowNeverGrowsPastMaxRecordLocks() {
        // Given a window of 50 offsets entirely acquired
        partition.acquire("m1", 100, 10_000, 10_000, RecordFilter.ALL, 0, LOCK);

        // Then nothing more can be acquired until the start moves
        assertThat(partition.endOffset()).isEqualTo(150);
        assertThat(partition.nextAcquirableOffset()).isEqualTo(-1);
        assertThat(partition.acquire("m2", 150, 160, 10, RecordFilter.ALL, 0, LOCK)).isEmpty();

        // When the first ten are accepted the window slides by ten
        assertThat(partition.acknowledge("m1", 100, 109, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK))
                .isEqualTo(ShareError.NONE);
        assertThat(partition.startOffset()).isEqualTo(110);
        assertThat(partition.acquire("m2", 150, 200, 100, RecordFilter.ALL, 0, LOCK))
                .containsExactly(new AcquiredRange(150, 159, 1));
    }

    @Test
    void acceptedRecordsAdvanceTheStartAndAreNeverAcquiredAgain() {
        partition.acquire("m1", 100, 104, 500, RecordFilter.ALL, 0, LOCK);

        partition.acknowledge("m1", 100, 102, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK);

        assertThat(partition.startOffset()).isEqualTo(103);
        assertThat(partition.state(101)).isEqualTo(RecordState.ACKNOWLEDGED);
        assertThat(partition.acquire("m2", 100, 104, 500, RecordFilter.ALL, 0, LOCK)).isEmpty();
    }

    @Test
    void releasedRecordsAreRedeliveredWithTheirDeliveryCountRaised() {
        partition.acquire("m1", 100, 104, 500, RecordFilter.ALL, 0, LOCK);

        partition.acknowledge("m1", 102, 103, AcknowledgeType.RELEASE, LIMIT, 0, LOCK);

        assertThat(partition.nextAcquirableOffset()).isEqualTo(102);
        assertThat(partition.acquire("m2", 100, 110, 500, RecordFilter.ALL, 0, LOCK))
                .containsExactly(new AcquiredRange(102, 103, 2), new AcquiredRange(105, 110, 1));
    }

    @Test
    void aFilterOnTheDeliveryCountSeesTheCountTheRecordWouldBeAcquiredWith() {
        // Given a member that takes only redeliveries, and 100..101 taken once by another and 101 released
        RecordFilter redeliveries = new RecordFilter() {
            @Override
            public boolean accepts(long offset) {
                return false;
            }

            @Override
            public boolean accepts(long offset, int deliveryCount) {
                return deliveryCount > 1;
            }
        };
        assertThat(partition.acquire("retry", 100, 101, 500, redeliveries, 0, LOCK)).isEmpty();
        partition.acquire("m1", 100, 101, 500, RecordFilter.ALL, 0, LOCK);
        partition.acknowledge("m1", 101, 101, AcknowledgeType.RELEASE, LIMIT, 0, LOCK);

        // When it acquires
        List<AcquiredRange> ranges = partition.acquire("retry", 100, 101, 500, redeliveries, 0, LOCK);

        // Then it gets 101, on its second delivery
        assertThat(ranges).containsExactly(new AcquiredRange(101, 101, 2));
    }

    @Test
    void rejectedRecordsAreArchived() {
        partition.acquire("m1", 100, 100, 500, RecordFilter.ALL, 0, LOCK);

        partition.acknowledge("m1", 100, 100, AcknowledgeType.REJECT, LIMIT, 0, LOCK);

        assertThat(partition.startOffset()).isEqualTo(101);
        assertThat(partition.acquire("m2", 100, 100, 500, RecordFilter.ALL, 0, LOCK)).isEmpty();
    }

    @Test
    void acknowledgingRecordsNotHeldByTheMemberChangesNothing() {
        partition.acquire("m1", 100, 104, 500, RecordFilter.ALL, 0, LOCK);

        // Another member's records, a range reaching past the window (Kafka: "past acquired records"), and another
        // member's records from below the start
        assertThat(partition.acknowledge("m2", 100, 100, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK))
                .isEqualTo(ShareError.INVALID_RECORD_STATE);
        assertThat(partition.acknowledge("m1", 103, 105, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK))
                .isEqualTo(ShareError.INVALID_REQUEST);
        assertThat(partition.acknowledge("m2", 99, 100, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK))
                .isEqualTo(ShareError.INVALID_RECORD_STATE);

        assertThat(partition.acquiredCount()).isEqualTo(5);
        assertThat(partition.state(103)).isEqualTo(RecordState.ACQUIRED);
    }

    @Test
    void theRangesOfOneAcknowledgementApplyAllOrNone() {
        // Given m1 holding 100-104 and m2 holding 105
        partition.acquire("m1", 100, 104, 500, RecordFilter.ALL, 0, LOCK);
        partition.acquire("m2", 105, 105, 500, RecordFilter.ALL, 0, LOCK);

        // When m1 sends valid ranges followed by one it cannot acknowledge: past the window, another member's
        // record, and one starting on the offset the range before it settles
        ShareError past = partition.acknowledge("m1", List.of(ack(100, 101, AcknowledgeType.ACCEPT),
                ack(102, 102, AcknowledgeType.REJECT), ack(103, 106, AcknowledgeType.ACCEPT)), LIMIT, 0, LOCK);
        ShareError others = partition.acknowledge("m1", List.of(ack(100, 104, AcknowledgeType.RELEASE),
                ack(105, 105, AcknowledgeType.ACCEPT)), LIMIT, 0, LOCK);
        ShareError touching = partition.acknowledge("m1", List.of(ack(100, 101, AcknowledgeType.ACCEPT),
                ack(101, 102, AcknowledgeType.ACCEPT)), LIMIT, 0, LOCK);

        // Then each is refused with Kafka's code and none of their ranges is applied
        assertThat(past).isEqualTo(ShareError.INVALID_REQUEST);
        assertThat(others).isEqualTo(ShareError.INVALID_RECORD_STATE);
        assertThat(touching).isEqualTo(ShareError.INVALID_RECORD_STATE);
        assertThat(partition.startOffset()).isEqualTo(100);
        assertThat(partition.acquiredCount()).isEqualTo(6);
        for (long offset = 100; offset <= 105; offset++) {
            assertThat(partition.state(offset)).as("%d", offset).isEqualTo(RecordState.ACQUIRED);
            assertThat(partition.deliveryCount(offset)).as("%d", offset).isEqualTo(1);
        }
        // And ranges that are all valid apply together, a renewed offset acknowledged again by the next range
        assertThat(partition.acknowledge("m1", List.of(ack(100, 101, AcknowledgeType.ACCEPT),
                ack(102, 102, AcknowledgeType.REJECT), ack(103, 103, AcknowledgeType.RENEW),
                ack(103, 104, AcknowledgeType.RELEASE)), LIMIT, 0, LOCK)).isEqualTo(ShareError.NONE);
        assertThat(partition.startOffset()).isEqualTo(103);
        assertThat(partition.state(103)).isEqualTo(RecordState.AVAILABLE);
        assertThat(partition.state(105)).isEqualTo(RecordState.ACQUIRED);
    }

    @Test
    void acknowledgingPastAnEmptyWindowIsAnInvalidRecordState() {
        // Kafka: with no in-flight batch at all, "the request batch offsets are not found in the cache"
        assertThat(partition.acknowledge("m1", 100, 100, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK))
                .isEqualTo(ShareError.INVALID_RECORD_STATE);
    }

    private static Acknowledgement ack(long first, long last, AcknowledgeType type) {
        return new Acknowledgement(first, last, type);
    }

    @Test
    void aRangeWhollyBelowTheStartIsAlreadySettledAndAnsweredNone() {
        partition.acquire("m1", 100, 101, 500, RecordFilter.ALL, 0, LOCK);
        partition.acknowledge("m1", 100, 100, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK);
        assertThat(partition.startOffset()).isEqualTo(101);

        // As Kafka 4.4: whoever acknowledges it, with whatever type, a range below the start changes nothing
        assertThat(partition.acknowledge("m1", 100, 100, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK))
                .isEqualTo(ShareError.NONE);
        assertThat(partition.acknowledge("m2", 90, 100, AcknowledgeType.RELEASE, LIMIT, 0, LOCK))
                .isEqualTo(ShareError.NONE);
        // A range reaching into the window is checked from the start on
        assertThat(partition.acknowledge("m2", 100, 101, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK))
                .isEqualTo(ShareError.INVALID_RECORD_STATE);

        assertThat(partition.startOffset()).isEqualTo(101);
        assertThat(partition.state(101)).isEqualTo(RecordState.ACQUIRED);
        assertThat(partition.acquire("m2", 100, 100, 500, RecordFilter.ALL, 0, LOCK)).isEmpty();
    }

    @Test
    void aRangeReachingAcrossTheStartAcknowledgesFromTheStartOn() {
        partition.acquire("m1", 100, 103, 500, RecordFilter.ALL, 0, LOCK);
        partition.acknowledge("m1", 100, 101, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK);

        // As Kafka 4.4 (ShareGroupDifferentialIT.acknowledgingAcrossTheStartOffset): the settled offsets below the
        // start are skipped, the rest is acknowledged
        assertThat(partition.acknowledge("m1", 101, 103, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK))
                .isEqualTo(ShareError.NONE);

        assertThat(partition.startOffset()).isEqualTo(104);
        assertThat(partition.acquiredCount()).isZero();
    }

    @Test
    void anExpiredLockMakesTheRecordAvailableAndALateAcknowledgementFails() {
        partition.acquire("m1", 100, 101, 500, RecordFilter.ALL, 0, LOCK);

        assertThat(partition.expireLocks(LOCK - 1, LIMIT)).isZero();
        assertThat(partition.expireLocks(LOCK, LIMIT)).isEqualTo(2);

        assertThat(partition.state(100)).isEqualTo(RecordState.AVAILABLE);
        assertThat(partition.acknowledge("m1", 100, 101, AcknowledgeType.ACCEPT, LIMIT, LOCK, LOCK))
                .isEqualTo(ShareError.INVALID_RECORD_STATE);
    }

    @Test
    void renewExtendsTheLock() {
        partition.acquire("m1", 100, 100, 500, RecordFilter.ALL, 0, LOCK);

        partition.acknowledge("m1", 100, 100, AcknowledgeType.RENEW, LIMIT, 900, LOCK);

        assertThat(partition.expireLocks(LOCK, LIMIT)).isZero();
        assertThat(partition.expireLocks(1_900, LIMIT)).isEqualTo(1);
    }

    @Test
    void aRecordReleasedAtTheDeliveryLimitIsArchived() {
        for (int delivery = 1; delivery < LIMIT; delivery++) {
            assertThat(partition.acquire("m1", 100, 100, 1, RecordFilter.ALL, 0, LOCK))
                    .containsExactly(new AcquiredRange(100, 100, delivery));
            partition.acknowledge("m1", 100, 100, AcknowledgeType.RELEASE, LIMIT, 0, LOCK);
        }
        partition.acquire("m1", 100, 100, 1, RecordFilter.ALL, 0, LOCK);

        partition.expireLocks(LOCK, LIMIT);

        assertThat(partition.state(100)).isEqualTo(RecordState.ACKNOWLEDGED);
        assertThat(partition.startOffset()).isEqualTo(101);
        assertThat(partition.acquire("m2", 100, 100, 1, RecordFilter.ALL, 0, LOCK)).isEmpty();
    }

    @Test
    void closingAMemberReleasesOnlyItsRecords() {
        partition.acquire("m1", 100, 101, 500, RecordFilter.ALL, 0, LOCK);
        partition.acquire("m2", 102, 103, 500, RecordFilter.ALL, 0, LOCK);

        assertThat(partition.releaseAll("m1", LIMIT)).isEqualTo(2);

        assertThat(partition.state(100)).isEqualTo(RecordState.AVAILABLE);
        assertThat(partition.state(102)).isEqualTo(RecordState.ACQUIRED);
    }

    @Test
    void aFilterKeepsRefusedRecordsAvailableForOthers() {
        RecordFilter evens = offset -> offset % 2 == 0;

        List<AcquiredRange> ranges = partition.acquire("m1", 100, 103, 500, evens, 0, LOCK);

        assertThat(ranges).containsExactly(new AcquiredRange(100, 100, 1), new AcquiredRange(102, 102, 1));
        assertThat(partition.acquire("m2", 100, 103, 500, RecordFilter.ALL, 0, LOCK))
                .containsExactly(new AcquiredRange(101, 101, 1), new AcquiredRange(103, 103, 1));
    }

    @Test
    void aWindowFullOfRefusedRecordsWaitsForAMemberThatTakesThemAndThenSlides() {
        // Given a 50-slot window filled with records m1's filter refuses (it wants offsets from 150 on)
        RecordFilter late = offset -> offset >= 150;
        assertThat(partition.acquire("m1", 100, 149, 500, late, 0, LOCK)).isEmpty();
        assertThat(partition.endOffset()).isEqualTo(150);

        // Then m1 cannot reach 150 (the window is full of available records) and the start stays
        assertThat(partition.acquire("m1", 150, 160, 500, late, 0, LOCK)).isEmpty();
        assertThat(partition.startOffset()).isEqualTo(100);
        assertThat(partition.nextAcquirableOffset()).isEqualTo(100);

        // When a member without a filter takes and accepts them
        assertThat(partition.acquire("m2", 100, 149, 500, RecordFilter.ALL, 0, LOCK))
                .containsExactly(new AcquiredRange(100, 149, 1));
        partition.acknowledge("m2", 100, 149, AcknowledgeType.ACCEPT, LIMIT, 0, LOCK);

        // Then the window slides and m1 gets what it selects
        assertThat(partition.startOffset()).isEqualTo(150);
        assertThat(partition.acquire("m1", 150, 160, 500, late, 0, LOCK)).containsExactly(new AcquiredRange(150, 160, 1));
    }

    @Test
    void aFilterThatArchivesRefusedRecordsLetsTheWindowSlidePastThem() {
        // Given a subscription filter that wants offsets from 150 on and archives what it refuses
        RecordFilter late = new RecordFilter() {
            @Override
            public boolean accepts(long offset) {
                return offset >= 150;
            }

            @Override
            public boolean archivesRefused() {
                return true;
            }
        };

        // When it reads the 50-slot window and then on
        assertThat(partition.acquire("m1", 100, 149, 500, late, 0, LOCK)).isEmpty();
        List<AcquiredRange> later = partition.acquire("m1", 150, 160, 500, late, 0, LOCK);

        // Then the refused records are archived, the start moved past them and the later ones are acquired
        assertThat(partition.state(120)).isEqualTo(RecordState.ACKNOWLEDGED);
        assertThat(partition.startOffset()).isEqualTo(150);
        assertThat(later).containsExactly(new AcquiredRange(150, 160, 1));
    }
}
