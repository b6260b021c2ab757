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
import io.tributary.pipeline.IngestPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link GroupStore} over partition 0 of the internal topic {@value #TOPIC}: each write is one
 * uncompressed v2 batch offered to the ingest pipeline, complete once the pipeline commits it
 * (fsynced first if the topic's flush policy is sync). Replay reads the partition from its start;
 * the last record per key wins.
 *
 * <p>Tributary has no log compaction, so the store bounds the partition itself: it keeps the live
 * records (last per key, tombstones dropped) in memory, and when the partition has grown by a
 * segment since its log start and at most half of it is live, it appends the live records again
 * and moves the log start past the old ones ({@link OffsetsLogWriter}, whose Javadoc argues why a
 * replay after a stop at any step gives the same state). The topic is created with
 * {@code retention.ms=-1} and {@code retention.bytes=-1}, so nothing else deletes its records, and
 * with {@code segment.bytes} from {@link GroupStoreConfig#segmentBytes()}, re-applied at each open,
 * so that the segments left behind the log start are deleted whole by retention.
 */
public final class LogGroupStore implements GroupStore {
    /** Name of the internal topic, as in Kafka. */
    public static final String TOPIC = "__consumer_offsets";
    private static final Logger LOG = LoggerFactory.getLogger(LogGroupStore.class);
    private static final int READ_BYTES = 1 << 20;

    private final PartitionLog partition;
    private final OffsetsLogWriter writer;

    private LogGroupStore(PartitionLog partition, OffsetsLogWriter writer) {
        this.partition = partition;
        this.writer = writer;
    }

    /** Opens the store with {@link GroupStoreConfig#defaults()}. */
    public static LogGroupStore open(LogManager log, IngestPipeline pipeline) {
        return open(log, pipeline, GroupStoreConfig.defaults());
    }

    /**
     * Opens the store, creating {@value #TOPIC} with one partition if it does not exist, else
     * setting its segment size to {@code config}'s. Cleaning runs on a thread of its own, started
     * when needed and ended when idle.
     */
    public static LogGroupStore open(LogManager log, IngestPipeline pipeline, GroupStoreConfig config) {
        return open(log, pipeline, config, cleanerExecutor());
    }

    /** {@link #open(LogManager, IngestPipeline, GroupStoreConfig)} with the cleaner's steps run by {@code background}. */
    static LogGroupStore open(LogManager log, IngestPipeline pipeline, GroupStoreConfig config, Executor background) {
        PartitionLog partition = topic(log, config).partition(0);
        return new LogGroupStore(partition, new OffsetsLogWriter(partition, pipeline, System::currentTimeMillis,
                background, config.segmentBytes()));
    }

    private static Topic topic(LogManager log, GroupStoreConfig config) {
        Map<String, String> wanted = Map.of(LogConfig.RETENTION_MS, "-1", LogConfig.RETENTION_BYTES, "-1",
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

    private static Executor cleanerExecutor() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "tributary-offsets-cleaner");
                    thread.setDaemon(true);
                    return thread;
                });
        return executor;
    }

    @Override
    public CompletableFuture<Void> write(List<GroupRecord> records) {
        return writer.write(records);
    }

    /** {@inheritDoc} The first replay also gives the store its live records, so call it before writing. */
    @Override
    public void replay(Consumer<GroupRecord> sink) throws IOException {
        LiveRecords live = new LiveRecords();
        long replayedBytes = 0;
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
                GroupRecord record = GroupRecordCodec.decode(key, value);
                live.apply(record);
                sink.accept(record);
            });
            replayedBytes += slice.size();
            if (next <= offset) {
                throw new IOException("no progress replaying " + TOPIC + " at offset " + offset);
            }
            offset = next;
        }
        writer.replayed(live, replayedBytes);
    }

    /** The partition the store writes; for tests. */
    PartitionLog partition() {
        return partition;
    }

    /** The writer and cleaner; for tests. */
    OffsetsLogWriter writer() {
        return writer;
    }
}
