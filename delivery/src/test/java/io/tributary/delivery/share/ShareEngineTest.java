package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.TopicMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ShareEngineTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private final AtomicLong now = new AtomicLong(1_000);
    private final Map<String, Integer> partitions = Map.of("orders", 2);
    private final TopicMetadata topics = new TopicMetadata() {
        @Override
        public int partitionCount(String topic) {
            return partitions.getOrDefault(topic, -1);
        }

        @Override
        public Collection<String> topicNames() {
            return partitions.keySet();
        }
    };
    private final LogOffsets offsets = new LogOffsets() {
        @Override
        public long logStartOffset(TopicPartition tp) {
            return 10;
        }

        @Override
        public long highWatermark(TopicPartition tp) {
            return 40;
        }
    };
    private final ShareConfig config = ShareConfig.defaults().withRecordLockDurationMs(5_000)
            .withSessionTimeoutMs(20_000);
    private final ShareEngine engine = ShareEngine.manual(config, topics, offsets, now::get);

    private ShareHeartbeat.Result join(String member) {
        return engine.heartbeat(new ShareHeartbeat.Request("g", member, ShareHeartbeat.JOIN_EPOCH,
                List.of("orders"), "client", "/127.0.0.1"));
    }

    @Test
    void moreMembersThanPartitionsShareThemAndEveryPartitionHasAMember() {
        join("a");
        join("b");
        ShareHeartbeat.Result c = join("c");

        ShareHeartbeat.Result a = engine.heartbeat(new ShareHeartbeat.Request("g", "a",
                engine.describe("g").members().get(0).memberEpoch(), null, "client", "/127.0.0.1"));

        assertThat(c.error()).isEqualTo(ShareError.NONE);
        assertThat(a.error()).isEqualTo(ShareError.NONE);
        assertThat(a.assignment()).containsExactly(P0);
        assertThat(c.assignment()).containsExactly(P0);
        assertThat(engine.describe("g").members().get(1).assignment()).containsExactly(P1);
        assertThat(engine.describe("g").state()).isEqualTo("Stable");
    }

    @Test
    void noSharePartitionIsCreatedForAPartitionThatDoesNotExist() {
        // Given a member (a fetch that resolved a topic just before its deletion asks the engine next)
        join("a");
        TopicPartition deleted = new TopicPartition("deleted", 0);
        TopicPartition beyond = new TopicPartition("orders", 2);

        // When it asks where to read, and acquires, partitions that do not exist
        long next = engine.nextAcquirableOffset("g", deleted);
        List<AcquiredRange> acquired = engine.acquire("g", "a", beyond, 40, 45, 10, RecordFilter.ALL);

        // Then nothing, and no share partition: a topic created later under the name starts afresh
        assertThat(next).isEqualTo(-1);
        assertThat(acquired).isEmpty();
        assertThat(engine.partition("g", deleted)).isNull();
        assertThat(engine.partition("g", beyond)).isNull();
        assertThat(engine.nextAcquirableOffset("g", P0)).isEqualTo(40);
    }

    private ShareHeartbeat.Result join(String member, String definition) {
        return engine.heartbeat(new ShareHeartbeat.Request("g", member, ShareHeartbeat.JOIN_EPOCH,
                List.of("orders"), "client", "/127.0.0.1", definition));
    }

    @Test
    void aMemberJoiningWithAnotherDefinitionThanTheMembersIsRefusedUntilTheyHaveLeft() {
        // Given a member that joined with a definition, and one without any (a plain share consumer)
        ShareHeartbeat.Result first = join("a", "topic=orders selector=x > 1");
        join("plain");

        // When two more join, with the same definition and with another
        ShareHeartbeat.Result same = join("b", "topic=orders selector=x > 1");
        ShareHeartbeat.Result other = join("c", "topic=orders selector=x > 2");

        // Then only the other one is refused, and joins once the members with the first definition have left
        assertThat(first.error()).isEqualTo(ShareError.NONE);
        assertThat(same.error()).isEqualTo(ShareError.NONE);
        assertThat(other.error()).isEqualTo(ShareError.INCONSISTENT_DEFINITION);
        assertThat(engine.describe("g").members()).extracting(ShareGroupDescription.Member::memberId)
                .containsExactlyInAnyOrder("a", "b", "plain");
        engine.heartbeat(new ShareHeartbeat.Request("g", "a", ShareHeartbeat.LEAVE_EPOCH, null, "client", "h"));
        assertThat(join("c", "topic=orders selector=x > 2").error()).as("b still has the first").isEqualTo(
                ShareError.INCONSISTENT_DEFINITION);
        engine.heartbeat(new ShareHeartbeat.Request("g", "b", ShareHeartbeat.LEAVE_EPOCH, null, "client", "h"));
        assertThat(join("c", "topic=orders selector=x > 2").error()).isEqualTo(ShareError.NONE);
    }

    @Test
    void aSingleMemberGetsEveryPartition() {
        assertThat(join("a").assignment()).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void aStaleEpochIsFencedAndAnUnknownMemberRefused() {
        int epoch = join("a").memberEpoch();

        assertThat(engine.heartbeat(new ShareHeartbeat.Request("g", "a", epoch + 5, null, "c", "h")).error())
                .isEqualTo(ShareError.FENCED_MEMBER_EPOCH);
        assertThat(engine.heartbeat(new ShareHeartbeat.Request("g", "zz", 3, null, "c", "h")).error())
                .isEqualTo(ShareError.UNKNOWN_MEMBER_ID);
        assertThat(engine.heartbeat(new ShareHeartbeat.Request("nope", "a", 3, null, "c", "h")).error())
                .isEqualTo(ShareError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aNewSharePartitionStartsAtTheHighWatermarkByDefaultAndAtTheLogStartWhenEarliest() {
        join("a");
        assertThat(engine.nextAcquirableOffset("g", P0)).isEqualTo(40);

        ShareEngine earliest = ShareEngine.manual(config.withAutoOffsetReset(ShareConfig.OffsetReset.EARLIEST),
                topics, offsets, now::get);
        earliest.heartbeat(new ShareHeartbeat.Request("g", "a", 0, List.of("orders"), "c", "h"));
        assertThat(earliest.nextAcquirableOffset("g", P0)).isEqualTo(10);
    }

    @Test
    void theWindowLimitIsTheStartPlusTheRecordLocksAndMovesWithAcknowledgements() {
        ShareEngine small = ShareEngine.manual(config.withMaxRecordLocks(5), topics, offsets, now::get);
        small.heartbeat(new ShareHeartbeat.Request("g", "a", 0, List.of("orders"), "c", "h"));
        assertThat(small.windowLimit("g", P0)).isEqualTo(Long.MAX_VALUE);
        assertThat(small.windowLimit("other", P0)).isEqualTo(Long.MAX_VALUE);

        small.nextAcquirableOffset("g", P0);
        assertThat(small.windowLimit("g", P0)).isEqualTo(45);
        // an acquisition offered more than the window takes stops at its limit
        assertThat(small.acquire("g", "a", P0, 40, 60, 500, RecordFilter.ALL))
                .containsExactly(new AcquiredRange(40, 44, 1));
        assertThat(small.acknowledge("g", "a", P0, 40, 41, AcknowledgeType.ACCEPT)).isEqualTo(ShareError.NONE);

        assertThat(small.windowLimit("g", P0)).isEqualTo(47);
    }

    @Test
    void theTimerReleasesExpiredLocksToAnotherMember() {
        join("a");
        join("b");
        engine.nextAcquirableOffset("g", P0);
        assertThat(engine.acquire("g", "a", P0, 40, 44, 500, RecordFilter.ALL))
                .containsExactly(new AcquiredRange(40, 44, 1));

        now.addAndGet(5_000);
        engine.tick();

        assertThat(engine.acquire("g", "b", P0, 40, 44, 500, RecordFilter.ALL))
                .containsExactly(new AcquiredRange(40, 44, 2));
        assertThat(engine.acknowledge("g", "a", P0, 40, 44, AcknowledgeType.ACCEPT))
                .isEqualTo(ShareError.INVALID_RECORD_STATE);
    }

    @Test
    void aMemberWhoseSessionTimesOutIsRemovedAndItsRecordsReleased() {
        join("a");
        engine.nextAcquirableOffset("g", P0);
        engine.acquire("g", "a", P0, 40, 41, 500, RecordFilter.ALL);

        now.addAndGet(20_001);
        engine.tick();

        assertThat(engine.checkMember("g", "a")).isEqualTo(ShareError.UNKNOWN_MEMBER_ID);
        assertThat(engine.partition("g", P0).state(40)).isEqualTo(RecordState.AVAILABLE);
        assertThat(engine.describe("g").state()).isEqualTo("Empty");
    }

    @Test
    void leavingReleasesTheMembersRecordsAtOnce() {
        int epoch = join("a").memberEpoch();
        engine.nextAcquirableOffset("g", P1);
        engine.acquire("g", "a", P1, 40, 41, 500, RecordFilter.ALL);

        ShareHeartbeat.Result left = engine.heartbeat(new ShareHeartbeat.Request("g", "a",
                ShareHeartbeat.LEAVE_EPOCH, null, "c", "h"));

        assertThat(left.memberEpoch()).isEqualTo(ShareHeartbeat.LEAVE_EPOCH);
        assertThat(epoch).isPositive();
        assertThat(engine.partition("g", P1).acquiredCount()).isZero();
    }

    @Test
    void aNonMemberAcquiresNothing() {
        join("a");
        engine.nextAcquirableOffset("g", P0);

        assertThat(engine.acquire("g", "x", P0, 40, 44, 500, RecordFilter.ALL)).isEmpty();
        assertThat(engine.acknowledge("g", "x", P0, 40, 40, AcknowledgeType.ACCEPT))
                .isEqualTo(ShareError.UNKNOWN_MEMBER_ID);
        assertThat(engine.describe("g").members()).extracting(ShareGroupDescription.Member::memberId)
                .containsExactly("a");
    }

    @Test
    void aGroupsOwnHeartbeatSessionWindowAndRenewConfigsApply() {
        // Given a group with its own heartbeat interval, session timeout, window size and renew disabled
        engine.setGroupConfigs("g", Map.of(ShareGroupConfigs.HEARTBEAT_INTERVAL_MS, "6000",
                ShareGroupConfigs.SESSION_TIMEOUT_MS, "50000", ShareGroupConfigs.PARTITION_MAX_RECORD_LOCKS, "100",
                ShareGroupConfigs.RENEW_ACKNOWLEDGE_ENABLE, "false"));

        // When a member joins and acquires more than the window holds
        ShareHeartbeat.Result a = join("a");
        List<AcquiredRange> got = engine.acquire("g", "a", P0, 40, 400, 500, RecordFilter.ALL);

        // Then the group's interval is handed out, its window bounds the acquisition, RENEW is refused and the
        // member lives past the broker's 20 s session timeout but not past the group's 50 s
        assertThat(a.heartbeatIntervalMs()).isEqualTo(6000);
        assertThat(got).containsExactly(new AcquiredRange(40, 139, 1));
        assertThat(engine.acknowledge("g", "a", P0, 40, 40, AcknowledgeType.RENEW))
                .isEqualTo(ShareError.INVALID_RECORD_STATE);
        assertThat(engine.acknowledge("g", "a", P0, 40, 40, AcknowledgeType.ACCEPT)).isEqualTo(ShareError.NONE);
        now.addAndGet(30_000);
        engine.tick();
        assertThat(engine.checkMember("g", "a")).isEqualTo(ShareError.NONE);
        now.addAndGet(30_000);
        engine.tick();
        assertThat(engine.checkMember("g", "a")).isEqualTo(ShareError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aSessionTimeoutNotAboveTheHeartbeatIntervalIsRefusedTogether() {
        assertThat(ShareGroupConfigs.invalid(ShareGroupConfigs.SESSION_TIMEOUT_MS, "44999"))
                .isEqualTo("share.session.timeout.ms must be in the range 45000 to 60000 inclusive.");
        assertThat(ShareGroupConfigs.invalid(ShareGroupConfigs.RENEW_ACKNOWLEDGE_ENABLE, "yes")).isNotNull();
        assertThat(ShareGroupConfigs.invalidTogether(ShareConfig.defaults().withHeartbeatIntervalMs(50_000),
                Map.of(ShareGroupConfigs.SESSION_TIMEOUT_MS, "46000")))
                .isEqualTo("share.session.timeout.ms must be greater than share.heartbeat.interval.ms");
        assertThat(ShareGroupConfigs.invalidTogether(ShareConfig.defaults(),
                Map.of(ShareGroupConfigs.SESSION_TIMEOUT_MS, "46000"))).isNull();
    }

    @Test
    void groupConfigsAreBoundedByTheBrokersBoundsAndClampedWhenTheBoundsNarrowed() {
        // Given a broker whose bounds are narrower than Kafka's defaults
        ShareBounds narrow = new ShareBounds(new ShareBounds.Range(20_000, 50_000), new ShareBounds.Range(3, 8),
                new ShareBounds.Range(46_000, 55_000), new ShareBounds.Range(6_000, 12_000),
                new ShareBounds.Range(200, 3_000), new ShareBounds.Range(0, 15_000));

        // Then values are refused with Kafka 4.4's messages (as a real broker with these bounds answered)
        assertThat(ShareGroupConfigs.invalid(narrow, ShareGroupConfigs.RECORD_LOCK_DURATION_MS, "19999"))
                .isEqualTo("share.record.lock.duration.ms must be in the range 20000 to 50000 inclusive.");
        assertThat(ShareGroupConfigs.invalid(narrow, ShareGroupConfigs.RECORD_LOCK_DURATION_MS, "999"))
                .isEqualTo("Invalid value 999 for configuration share.record.lock.duration.ms: Value must be at least 1000");
        assertThat(ShareGroupConfigs.invalid(narrow, ShareGroupConfigs.DELIVERY_COUNT_LIMIT, "2"))
                .isEqualTo("share.delivery.count.limit must be in the range 3 to 8 inclusive.");
        assertThat(ShareGroupConfigs.invalid(narrow, ShareGroupConfigs.DELIVERY_COUNT_LIMIT, "1"))
                .isEqualTo("Invalid value 1 for configuration share.delivery.count.limit: Value must be at least 2");
        assertThat(ShareGroupConfigs.invalid(narrow, ShareGroupConfigs.HEARTBEAT_INTERVAL_MS, "12001"))
                .isEqualTo("share.heartbeat.interval.ms must be in the range 6000 to 12000 inclusive.");
        assertThat(ShareGroupConfigs.invalid(narrow, ShareGroupConfigs.PARTITION_MAX_RECORD_LOCKS, "99"))
                .isEqualTo("Invalid value 99 for configuration share.partition.max.record.locks: Value must be at least 100");
        assertThat(ShareGroupConfigs.invalid(narrow, ShareGroupConfigs.RECORD_LOCK_DURATION_MS, "50000")).isNull();

        // And a value stored before the bounds narrowed is clamped into them
        ShareConfig applied = ShareGroupConfigs.apply(ShareConfig.defaults().withBounds(narrow),
                Map.of(ShareGroupConfigs.RECORD_LOCK_DURATION_MS, "60000", ShareGroupConfigs.DELIVERY_COUNT_LIMIT, "2"));
        assertThat(applied.recordLockDurationMs()).isEqualTo(50_000);
        assertThat(applied.deliveryCountLimit()).isEqualTo(3);
    }

    @Test
    void rejectedAndOverLimitRecordsAreArchivedOnlyOnceTheirDeadLettersAreWritten() {
        // Given a group with a dead-letter topic and a writer that completes when told
        List<List<DeadLetter>> written = new java.util.ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Void>> pending = new java.util.ArrayList<>();
        DeadLetters writer = (groupId, source, topic, copy, letters) -> {
            assertThat(topic).isEqualTo("dlq.orders");
            written.add(letters);
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            pending.add(done);
            return done;
        };
        ShareEngine dlq = ShareEngine.manual(config.withDeliveryCountLimit(2), topics, offsets, now::get, writer);
        dlq.setGroupConfigs("g", Map.of(ShareGroupConfigs.DLQ_TOPIC_NAME, "dlq.orders"));
        dlq.heartbeat(new ShareHeartbeat.Request("g", "a", ShareHeartbeat.JOIN_EPOCH, List.of("orders"), "c", "h"));
        dlq.acquire("g", "a", P0, 40, 41, 500, RecordFilter.ALL);

        // When 40 is rejected and 41 released twice (the limit)
        assertThat(dlq.acknowledge("g", "a", P0, 40, 40, AcknowledgeType.REJECT)).isEqualTo(ShareError.NONE);
        dlq.acknowledge("g", "a", P0, 41, 41, AcknowledgeType.RELEASE);
        dlq.acquire("g", "a", P0, 41, 41, 500, RecordFilter.ALL);
        dlq.acknowledge("g", "a", P0, 41, 41, AcknowledgeType.RELEASE);
        SharePartition partition = dlq.partition("g", P0);
        assertThat(partition.state(40)).isEqualTo(RecordState.ARCHIVING);
        assertThat(partition.state(41)).isEqualTo(RecordState.ARCHIVING);
        assertThat(partition.nextAcquirableOffset()).isEqualTo(42);
        dlq.tick();
        dlq.tick();

        // Then one write carries both, with Kafka's causes, and they stay ARCHIVING (the start too) until it completes
        assertThat(written).singleElement().isEqualTo(List.of(
                new DeadLetter(40, 1, DeadLetter.Cause.CLIENT_REJECT),
                new DeadLetter(41, 2, DeadLetter.Cause.DELIVERY_COUNT_EXCEEDED)));
        assertThat(partition.startOffset()).isEqualTo(40);
        pending.get(0).complete(null);
        assertThat(partition.state(40)).isEqualTo(RecordState.ACKNOWLEDGED); // below the start now
        assertThat(partition.startOffset()).isEqualTo(42);

        // And a snapshot taken while ARCHIVING puts the record back ARCHIVING, so a restart writes it again
        dlq.acquire("g", "a", P0, 42, 42, 500, RecordFilter.ALL);
        dlq.acknowledge("g", "a", P0, 42, 42, AcknowledgeType.REJECT);
        SharePartition restored = SharePartition.restore(partition.snapshot(), 100);
        assertThat(restored.state(42)).isEqualTo(RecordState.ARCHIVING);
        assertThat(restored.archiving(2)).containsExactly(new DeadLetter(42, 1, DeadLetter.Cause.CLIENT_REJECT));
    }

    @Test
    void aFailedDeadLetterWriteArchivesTheRecordsRegardless() {
        ShareEngine dlq = ShareEngine.manual(config, topics, offsets, now::get, DeadLetters.NONE);
        dlq.setGroupConfigs("g", Map.of(ShareGroupConfigs.DLQ_TOPIC_NAME, "dlq.orders"));
        dlq.heartbeat(new ShareHeartbeat.Request("g", "a", ShareHeartbeat.JOIN_EPOCH, List.of("orders"), "c", "h"));
        dlq.acquire("g", "a", P0, 40, 40, 500, RecordFilter.ALL);
        dlq.acknowledge("g", "a", P0, 40, 40, AcknowledgeType.REJECT);

        dlq.tick();

        assertThat(dlq.partition("g", P0).startOffset()).isEqualTo(41);
    }
}
