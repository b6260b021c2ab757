package io.tributary.delivery.share;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Far-future records leaving the window (the deferred index) and expired records waiting for their expiry copy. */
@Timeout(10)
class SharePartitionDeferTest {
    private static final int LIMIT = 5;
    private static final long LOCK = 1_000;
    private static final long NOW = 10_000;
    private static final long FAR = NOW + 3_600_000;
    private static final int P = RecordTraits.DEFAULT_PRIORITY;

    private final SharePartition partition = new SharePartition(100, 10);

    /** Offsets {@code [first, last]} due at {@code dueMs}. */
    private static RecordTraits delayed(long first, long last, long dueMs) {
        RecordTraits traits = RecordTraits.create();
        for (long offset = first; offset <= last; offset++) {
            traits.add(offset, dueMs, RecordTraits.NEVER, P, false, 0);
        }
        return traits;
    }

    @Test
    void aWindowFullOfFarFutureRecordsLetsLaterRecordsThrough() {
        // Given a window of 10 slots and 10 records due in an hour
        assertThat(partition.acquire("m1", 100, 109, 10, RecordFilter.ALL, delayed(100, 109, FAR), NOW, LOCK))
                .isEmpty();

        // When the next records are read
        List<AcquiredRange> later = partition.acquire("m1", partition.nextAcquirableOffset(NOW), 114, 10,
                RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK);

        // Then the delayed ones left the window as one range and the later ones are acquired
        assertThat(partition.deferredRanges()).isEqualTo(1);
        assertThat(later).containsExactly(new AcquiredRange(110, 114, 1));
        assertThat(partition.state(105)).isEqualTo(RecordState.AVAILABLE);
    }

    @Test
    void dueRecordsBelowTheStartAreOfferedFirstAndAcknowledgedLikeOthers() {
        partition.acquire("m1", 100, 109, 10, RecordFilter.ALL, delayed(100, 109, FAR), NOW, LOCK);
        partition.acquire("m1", 110, 114, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK);
        partition.acknowledge("m1", 110, 114, AcknowledgeType.ACCEPT, LIMIT, NOW, LOCK);
        assertThat(partition.nextAcquirableOffset(FAR - 1)).isEqualTo(115);

        // When they are due
        long from = partition.nextAcquirableOffset(FAR);
        List<AcquiredRange> due = partition.acquire("m1", from, 116, 4, RecordFilter.ALL, RecordTraits.NONE, FAR,
                LOCK);

        // Then they come first, below the start, as many as asked
        assertThat(from).isEqualTo(100);
        assertThat(due).containsExactly(new AcquiredRange(100, 103, 1));
        assertThat(partition.startOffset()).isEqualTo(115);

        // And release, redelivery and acceptance work on them as on the window's records
        assertThat(partition.acknowledge("m2", 100, 100, AcknowledgeType.ACCEPT, LIMIT, FAR, LOCK))
                .isEqualTo(ShareError.INVALID_RECORD_STATE);
        assertThat(partition.acknowledge("m1", 100, 100, AcknowledgeType.RELEASE, LIMIT, FAR, LOCK))
                .isEqualTo(ShareError.NONE);
        assertThat(partition.acquire("m2", partition.nextAcquirableOffset(FAR), 120, 100, RecordFilter.ALL,
                RecordTraits.NONE, FAR, LOCK)).containsExactly(new AcquiredRange(100, 100, 2),
                new AcquiredRange(104, 109, 1), new AcquiredRange(115, 120, 1));
        assertThat(partition.acknowledge("m1", 101, 103, AcknowledgeType.ACCEPT, LIMIT, FAR, LOCK))
                .isEqualTo(ShareError.NONE);
        assertThat(partition.acknowledge("m2", 104, 109, AcknowledgeType.ACCEPT, LIMIT, FAR, LOCK))
                .isEqualTo(ShareError.NONE);
        assertThat(partition.acknowledge("m2", 115, 116, AcknowledgeType.ACCEPT, LIMIT, FAR, LOCK))
                .isEqualTo(ShareError.NONE);
        assertThat(partition.state(101)).isEqualTo(RecordState.ACKNOWLEDGED);
        assertThat(partition.state(100)).isEqualTo(RecordState.ACQUIRED);
        assertThat(partition.startOffset()).isEqualTo(117);
    }

    @Test
    void aLockOnADueRecordExpiresLikeAnyOther() {
        partition.acquire("m1", 100, 109, 10, RecordFilter.ALL, delayed(100, 109, FAR), NOW, LOCK);
        partition.acquire("m1", 110, 110, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK);
        partition.acknowledge("m1", 110, 110, AcknowledgeType.ACCEPT, LIMIT, NOW, LOCK);
        partition.acquire("m1", partition.nextAcquirableOffset(FAR), 109, 100, RecordFilter.ALL, RecordTraits.NONE,
                FAR, LOCK);

        assertThat(partition.expireLocks(FAR + LOCK, LIMIT)).isEqualTo(10);

        assertThat(partition.acquiredCount()).isZero();
        assertThat(partition.deliveryCount(105)).isEqualTo(1);
        assertThat(partition.nextAcquirableOffset(FAR + LOCK)).isEqualTo(100);
    }

    @Test
    void deferredAndDueRecordsSurviveASnapshotThroughTheCodec() {
        // Given deferred records 100-109 of which 100-101 came due, were acquired, and 100 released
        RecordTraits traits = delayed(100, 104, FAR);
        for (long offset = 105; offset <= 109; offset++) {
            traits.add(offset, FAR + 60_000, RecordTraits.NEVER, P, false, 0);
        }
        partition.acquire("m1", 100, 109, 10, RecordFilter.ALL, traits, NOW, LOCK);
        partition.acquire("m1", 110, 112, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK);
        partition.acknowledge("m1", 110, 112, AcknowledgeType.ACCEPT, LIMIT, NOW, LOCK);
        partition.acquire("m1", partition.nextAcquirableOffset(FAR), 101, 100, RecordFilter.ALL, RecordTraits.NONE,
                FAR, LOCK);
        partition.acknowledge("m1", 100, 100, AcknowledgeType.RELEASE, LIMIT, FAR, LOCK);
        partition.acknowledge("m1", 101, 101, AcknowledgeType.ACCEPT, LIMIT, FAR, LOCK);

        // When it is snapshotted, encoded, decoded and restored
        ShareSnapshot decoded = ShareSnapshotCodec.decodeValue(ShareSnapshotCodec.encodeValue(partition.snapshot()));
        SharePartition restored = SharePartition.restore(decoded, 10);

        // Then the start stays past them, the released one and the due rest come at once, the later ones when due
        assertThat(decoded).isEqualTo(partition.snapshot());
        assertThat(restored.startOffset()).isEqualTo(113);
        assertThat(restored.acquire("m2", restored.nextAcquirableOffset(FAR), 109, 100, RecordFilter.ALL,
                RecordTraits.NONE, FAR, LOCK)).containsExactly(new AcquiredRange(100, 100, 2),
                new AcquiredRange(102, 104, 1));
        assertThat(restored.nextAcquirableOffset(FAR + 59_999)).isEqualTo(113);
        assertThat(restored.acquire("m2", restored.nextAcquirableOffset(FAR + 60_000), 109, 100, RecordFilter.ALL,
                RecordTraits.NONE, FAR + 60_000, LOCK)).containsExactly(new AcquiredRange(105, 109, 1));
    }

    @Test
    void deferredAndDueRecordsThatRetentionDeletedAreForgotten() {
        partition.acquire("m1", 100, 109, 10, RecordFilter.ALL, delayed(100, 109, FAR), NOW, LOCK);
        partition.acquire("m1", partition.nextAcquirableOffset(FAR), 101, 100, RecordFilter.ALL, RecordTraits.NONE,
                FAR, LOCK);

        partition.dropBelow(105);

        assertThat(partition.acquiredCount()).isZero();
        assertThat(partition.nextAcquirableOffset(FAR)).isEqualTo(105);
    }

    @Test
    void aDueRecordThatExpiredIsArchivedAndLeavesTheSnapshot() {
        RecordTraits traits = RecordTraits.create();
        traits.add(100, FAR, FAR + 1_000, P, false, 0);
        traits.add(101, FAR, RecordTraits.NEVER, P, false, 0);
        partition.acquire("m1", 100, 101, 10, RecordFilter.ALL, traits, NOW, LOCK);

        // due at FAR, read again at FAR + 1 s: 100 expired meanwhile
        List<AcquiredRange> ranges = partition.acquire("m1", partition.nextAcquirableOffset(FAR + 1_000), 101, 10,
                RecordFilter.ALL, traits, FAR + 1_000, LOCK);

        assertThat(ranges).containsExactly(new AcquiredRange(101, 101, 1));
        assertThat(partition.state(100)).isEqualTo(RecordState.ACKNOWLEDGED);
        assertThat(partition.snapshot().deferred()).containsExactly(new ShareSnapshot.Deferred(101, 101, 0, 1));
    }

    @Test
    void withAHorizonOfMinusOneNothingIsDeferred() {
        partition.extensions(new ShareExtensions(new long[0], false, -1, null));

        partition.acquire("m1", 100, 109, 10, RecordFilter.ALL, delayed(100, 109, FAR), NOW, LOCK);

        assertThat(partition.deferredRanges()).isZero();
        assertThat(partition.nextAcquirableOffset(NOW)).isEqualTo(100);
        assertThat(partition.acquire("m1", 110, 110, 10, RecordFilter.ALL, RecordTraits.NONE, NOW, LOCK)).isEmpty();
    }

    @Test
    void withAnExpiryTopicAnExpiredRecordWaitsForItsCopyAcrossASnapshot() {
        partition.extensions(new ShareExtensions(new long[0], false, ShareExtensions.DEFAULT_DEFER_HORIZON_MS,
                "dlq.expired"));
        RecordTraits traits = RecordTraits.create();
        traits.add(100, 0, NOW - 1, P, false, 0);

        assertThat(partition.acquire("m1", 100, 101, 10, RecordFilter.ALL, traits, NOW, LOCK))
                .containsExactly(new AcquiredRange(101, 101, 1));

        assertThat(partition.state(100)).isEqualTo(RecordState.ARCHIVING);
        assertThat(partition.archiving(LIMIT)).containsExactly(new DeadLetter(100, 0, DeadLetter.Cause.EXPIRED));
        SharePartition restored = SharePartition.restore(
                ShareSnapshotCodec.decodeValue(ShareSnapshotCodec.encodeValue(partition.snapshot())), 10);
        assertThat(restored.archiving(LIMIT)).containsExactly(new DeadLetter(100, 0, DeadLetter.Cause.EXPIRED));
        partition.finishArchiving(partition.archiving(LIMIT));
        assertThat(partition.startOffset()).isEqualTo(101);
    }
}
