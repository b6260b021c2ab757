package io.tributary.delivery.group.store;

import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.GroupStore;
import io.tributary.delivery.group.StoreUnavailableException;
import io.tributary.delivery.internal.records.RecordBatchReader;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@link GroupStore} over partition 0 of the internal topic {@value #TOPIC}: each write is one
 * uncompressed v2 batch offered to the ingest pipeline, complete once the pipeline commits it
 * (fsynced first if the topic's flush policy is sync). Replay reads the partition from its start;
 * the last record per key wins.
 *
 * <p>The topic is compacted ({@code cleanup.policy=compact}, as Kafka's), so the log cleaner keeps
 * the last record per key and drops tombstones after {@code delete.retention.ms}; retention deletes
 * nothing. Compaction keeps replay's answer: a group's deletion writes a tombstone for each of its
 * offsets before the group's own tombstone, so no offset outlives its group when the group
 * tombstone goes. {@code segment.bytes} comes from {@link GroupStoreConfig#segmentBytes()}; both are
 * re-applied at each open, so data directories from before compaction become compacted too (their
 * records behind the old copy-forward log start stay deleted).
 */
public final class LogGroupStore implements GroupStore {
    /** Name of the internal topic, as in Kafka. */
    public static final String TOPIC = "__consumer_offsets";
    private static final Logger LOG = LoggerFactory.getLogger(LogGroupStore.class);
    private static final int READ_BYTES = 1 << 20;

    private final PartitionLog partition;
    private final IngestPipeline pipeline;

    private LogGroupStore(PartitionLog partition, IngestPipeline pipeline) {
        this.partition = partition;
        this.pipeline = pipeline;
    }

    /** Opens the store with {@link GroupStoreConfig#defaults()}. */
    public static LogGroupStore open(LogManager log, IngestPipeline pipeline) {
        return open(log, pipeline, GroupStoreConfig.defaults());
    }

    /**
     * Opens the store, creating {@value #TOPIC} with one partition if it does not exist, else
     * setting its cleanup policy and segment size to {@code config}'s.
     */
    public static LogGroupStore open(LogManager log, IngestPipeline pipeline, GroupStoreConfig config) {
        return new LogGroupStore(topic(log, config).partition(0), pipeline);
    }

    private static Topic topic(LogManager log, GroupStoreConfig config) {
        Map<String, String> wanted = Map.of(LogConfig.CLEANUP_POLICY, "compact",
                LogConfig.SEGMENT_BYTES, Integer.toString(config.segmentBytes()));
        Optional<Topic> existing = log.topic(TOPIC);
        if (existing.isEmpty()) {
            return log.createTopic(TOPIC, 1, wanted);
        }
        Topic topic = existing.get();
        if (topic.configOverrides().entrySet().containsAll(wanted.entrySet())) {
            return topic;
        }
        Map<String, String> overrides = new HashMap<>(topic.configOverrides());
        overrides.putAll(wanted);
        try {
            return log.alterTopicConfig(TOPIC, overrides);
        } catch (UnsupportedOperationException e) {
            LOG.warn("Cannot set the config of {} to {}: {}", TOPIC, wanted, e.getMessage());
            return topic;
        }
    }

    /** {@inheritDoc} The records go as one batch through the ingest pipeline; completes once committed. */
    @Override
    public CompletableFuture<Void> write(List<GroupRecord> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        OfferResult offered = pipeline.offer(partition, GroupBatches.encode(records, System.currentTimeMillis()),
                result -> {
                    if (result.error() == AppendError.NONE) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(new StoreUnavailableException("append to " + TOPIC + " failed: "
                                + result.error() + " " + result.message()));
                    }
                });
        if (offered != OfferResult.ACCEPTED) {
            done.completeExceptionally(new StoreUnavailableException("ingest pipeline " + offered));
        }
        return done;
    }

    @Override
    public void replay(Consumer<GroupRecord> sink) throws IOException {
        long offset = partition.logStartOffset();
        long end = partition.highWatermark();
        while (offset < end) {
            LogSlice slice = partition.read(offset, READ_BYTES, end, true);
            if (slice.isEmpty()) {
                break;
            }
            ByteBuffer bytes = ByteBuffer.allocate(slice.size());
            long position = slice.position();
            while (bytes.hasRemaining()) {
                int read = slice.channel().read(bytes, position + bytes.position());
                if (read < 0) {
                    throw new IOException("unexpected end of " + TOPIC + " at position " + position);
                }
            }
            bytes.flip();
            long next = RecordBatchReader.forEach(bytes, (recordOffset, timestamp, key, value, headers) -> {
                sink.accept(GroupRecordCodec.decode(key, value));
            });
            if (next <= offset) {
                throw new IOException("no progress replaying " + TOPIC + " at offset " + offset);
            }
            offset = next;
        }
    }

    /** The partition the store writes; for tests. */
    PartitionLog partition() {
        return partition;
    }
}
