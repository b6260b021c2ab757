package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.TopicMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ShareStateRestoreTest {
    private static final TopicPartition TP = new TopicPartition("jobs", 0);

    /** Keeps the encoded records as the log store would, last per key. */
    private static final class EncodedStore implements ShareStateStore {
        final Map<ByteBuffer, ByteBuffer> records = new HashMap<>();

        @Override
        public Map<ShareKey, ShareSnapshot> load() {
            Map<ShareKey, ShareSnapshot> snapshots = new HashMap<>();
            records.forEach((k, v) -> snapshots.put(ShareSnapshotCodec.decodeKey(k), ShareSnapshotCodec.decodeValue(v)));
            return snapshots;
        }

        @Override
        public Map<String, Map<String, String>> groupConfigs() {
            return Map.of();
        }

        @Override
        public CompletableFuture<Void> persistGroupConfigs(String groupId, Map<String, String> configs) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> persist(ShareKey key, Supplier<ShareSnapshot> snapshot) {
            ShareSnapshot value = snapshot.get();
            if (value == null) {
                records.remove(ShareSnapshotCodec.encodeKey(key));
            } else {
                records.put(ShareSnapshotCodec.encodeKey(key), ShareSnapshotCodec.encodeValue(value));
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    }

    /** The topics that exist, each of one partition. */
    private final Set<String> existing = new java.util.HashSet<>(Set.of("jobs"));
    private final TopicMetadata topics = new TopicMetadata() {
        @Override
        public int partitionCount(String topic) {
            return existing.contains(topic) ? 1 : -1;
        }

        @Override
        public Collection<String> topicNames() {
            return Set.copyOf(existing);
        }
    };
    private final LogOffsets offsets = new LogOffsets() {
        @Override
        public long logStartOffset(TopicPartition tp) {
            return 0;
        }

        @Override
        public long highWatermark(TopicPartition tp) {
            return 0;
        }
    };

    @Test
    void acknowledgedRecordsStayDoneAndUnacknowledgedOnesComeBackAfterARestart() throws Exception {
        // Given a window 0..9: 0-2 accepted, 3 rejected, 4 released once, 5-9 still acquired
        EncodedStore store = new EncodedStore();
        ShareEngine before = ShareEngine.manual(ShareConfig.defaults(), topics, offsets, () -> 0L, store);
        before.heartbeat(new ShareHeartbeat.Request("g", "m", 0, List.of("jobs"), "c", "h"));
        before.nextAcquirableOffset("g", TP);
        before.acquire("g", "m", TP, 0, 9, 100, RecordFilter.ALL);
        before.acknowledge("g", "m", TP, 0, 2, AcknowledgeType.ACCEPT);
        before.acknowledge("g", "m", TP, 3, 3, AcknowledgeType.REJECT);
        before.acknowledge("g", "m", TP, 4, 4, AcknowledgeType.RELEASE);
        before.persist("g", TP).get();

        // When the engine starts again from what the store kept
        ShareEngine after = ShareEngine.manual(ShareConfig.defaults(), topics, offsets, () -> 0L, store);
        after.heartbeat(new ShareHeartbeat.Request("g", "n", 0, List.of("jobs"), "c", "h"));

        // Then the start is past the settled records, and a new member gets 4-9 (4 released, 5-9 were locked)
        assertThat(after.nextAcquirableOffset("g", TP)).isEqualTo(4);
        assertThat(after.partition("g", TP).startOffset()).isEqualTo(4);
        assertThat(after.acquire("g", "n", TP, 0, 20, 100, RecordFilter.ALL)).containsExactly(
                new AcquiredRange(4, 9, 2), new AcquiredRange(10, 20, 1));
    }

    @Test
    void aDeletedTopicsSharePartitionsAreForgottenAndItsNamesakeStartsAfresh() throws Exception {
        // Given a group whose share partition of jobs-0 moved its start to 5, and that state stored
        EncodedStore store = new EncodedStore();
        ShareEngine before = ShareEngine.manual(ShareConfig.defaults(), topics, offsets, () -> 0L, store);
        before.heartbeat(new ShareHeartbeat.Request("g", "m", 0, List.of("jobs"), "c", "h"));
        before.nextAcquirableOffset("g", TP);
        before.acquire("g", "m", TP, 0, 9, 100, RecordFilter.ALL);
        before.acknowledge("g", "m", TP, 0, 4, AcknowledgeType.ACCEPT);
        before.persist("g", TP).get();
        assertThat(before.admin().startOffsets("g", null)).containsKey(TP);

        // When the topic is deleted
        before.topicDeleted("jobs").get();

        // Then the share partition is gone, from the engine and from the store, and the group stays
        assertThat(before.partition("g", TP)).isNull();
        assertThat(before.admin().startOffsets("g", null)).isEmpty();
        assertThat(before.exists("g")).isTrue();
        assertThat(store.load()).isEmpty();
        // And a topic of the same name is read afresh (share.auto.offset.reset: here the high watermark, 0), not from 5
        assertThat(before.nextAcquirableOffset("g", TP)).isZero();
        ShareEngine after = ShareEngine.manual(ShareConfig.defaults(), topics, offsets, () -> 0L, store);
        assertThat(after.partition("g", TP)).isNull();
    }

    @Test
    void sharePartitionsOfATopicThatNoLongerExistsAreForgottenAtStart() throws Exception {
        // Given stored state of jobs-0 and of gone-0, a topic deleted while the broker was down to its tombstone
        EncodedStore store = new EncodedStore();
        TopicPartition gone = new TopicPartition("gone", 0);
        existing.add("gone");
        ShareEngine before = ShareEngine.manual(ShareConfig.defaults(), topics, offsets, () -> 0L, store);
        before.heartbeat(new ShareHeartbeat.Request("g", "m", 0, List.of("jobs"), "c", "h"));
        for (TopicPartition tp : List.of(TP, gone)) {
            before.nextAcquirableOffset("g", tp);
            before.acquire("g", "m", tp, 0, 9, 100, RecordFilter.ALL);
            before.acknowledge("g", "m", tp, 0, 4, AcknowledgeType.ACCEPT);
            before.persist("g", tp).get();
        }

        // When the engine starts again, and gone is not a topic
        existing.remove("gone");
        ShareEngine after = ShareEngine.manual(ShareConfig.defaults(), topics, offsets, () -> 0L, store);

        // Then jobs-0 is back, gone-0 is forgotten, in the engine and in the store
        assertThat(after.partition("g", TP).startOffset()).isEqualTo(5);
        assertThat(after.partition("g", gone)).isNull();
        assertThat(store.load()).containsOnlyKeys(new ShareKey("g", TP));
    }

    @Test
    void snapshotsSurviveTheirEncoding() {
        ShareSnapshot snapshot = new ShareSnapshot(17, List.of(
                new ShareSnapshot.Run(18, 20, RecordState.ACKNOWLEDGED, 1),
                new ShareSnapshot.Run(21, 21, RecordState.AVAILABLE, 3),
                new ShareSnapshot.Run(25, 30, RecordState.ARCHIVED, 5)));
        ShareKey key = new ShareKey("grüße", new TopicPartition("t", 7));

        assertThat(ShareSnapshotCodec.decodeValue(ShareSnapshotCodec.encodeValue(snapshot))).isEqualTo(snapshot);
        assertThat(ShareSnapshotCodec.decodeKey(ShareSnapshotCodec.encodeKey(key))).isEqualTo(key);
        assertThat(ShareSnapshotCodec.decodeValue(null)).isNull();
    }
}
