package io.tributary.delivery.group.store;

import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.GroupStore;
import io.tributary.delivery.group.StoreUnavailableException;
import io.tributary.delivery.internal.records.RecordBatchReader;
import io.tributary.delivery.internal.records.RecordBatchWriter;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@link GroupStore} over partition 0 of the internal topic {@value #TOPIC}: each write is one
 * uncompressed v2 batch offered to the ingest pipeline, complete once the pipeline commits it
 * (fsynced first if the topic's flush policy is sync). Replay reads the partition from its start.
 *
 * <p>The topic is meant to be compacted by key; compaction is not implemented yet, so the topic is
 * created with {@code retention.ms=-1} (never delete) and replay lets the last record per key win.
 */
public final class LogGroupStore implements GroupStore {
    /** Name of the internal topic, as in Kafka. */
    public static final String TOPIC = "__consumer_offsets";
    private static final int READ_BYTES = 1 << 20;

    private final PartitionLog partition;
    private final IngestPipeline pipeline;
    private final java.util.function.LongSupplier clock;

    private LogGroupStore(PartitionLog partition, IngestPipeline pipeline, java.util.function.LongSupplier clock) {
        this.partition = partition;
        this.pipeline = pipeline;
        this.clock = clock;
    }

    /** Opens the store, creating {@value #TOPIC} with one partition if it does not exist. */
    public static LogGroupStore open(LogManager log, IngestPipeline pipeline) {
        Topic topic = log.topic(TOPIC).orElseGet(() -> log.createTopic(TOPIC, 1,
                Map.of(LogConfig.RETENTION_MS, "-1", LogConfig.RETENTION_BYTES, "-1")));
        return new LogGroupStore(topic.partition(0), pipeline, System::currentTimeMillis);
    }

    @Override
    public CompletableFuture<Void> write(List<GroupRecord> records) {
        RecordBatchWriter writer = new RecordBatchWriter(256);
        long now = clock.getAsLong();
        for (GroupRecord record : records) {
            writer.append(now, GroupRecordCodec.key(record), GroupRecordCodec.value(record));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        OfferResult offered = pipeline.offer(partition, writer.build(), result -> {
            if (result.error() == AppendError.NONE) {
                done.complete(null);
            } else {
                done.completeExceptionally(new StoreUnavailableException(
                        "append to " + TOPIC + " failed: " + result.error() + " " + result.message()));
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
            long next = RecordBatchReader.forEach(bytes, (recordOffset, timestamp, key, value, headers) ->
                    sink.accept(GroupRecordCodec.decode(key, value)));
            if (next <= offset) {
                throw new IOException("no progress replaying " + TOPIC + " at offset " + offset);
            }
            offset = next;
        }
    }
}
