package io.tributary.delivery.share;

import io.tributary.delivery.internal.records.RecordBatchReader;
import io.tributary.delivery.internal.records.RecordBatchWriter;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * {@link ShareStateStore} over partition 0 of the internal topic {@value #TOPIC}, written through the
 * ingest pipeline (layout: {@link ShareSnapshotCodec}): share-partition snapshots and share groups' configs. Replay reads it from its start; the last record
 * per key wins and a null value deletes the key.
 *
 * <p>One writer thread owns the topic: it takes every share partition marked since its last round, snapshots
 * each once (so a burst of acknowledgements on one partition costs one record), appends them as one batch
 * (or a few, each at most {@link #BATCH_BYTES}), waits for the commit, then completes the callers' futures.
 *
 * <p>The topic is compacted ({@code cleanup.policy=compact}, as Kafka's), so the log cleaner keeps the last
 * record per key and drops tombstones after {@code delete.retention.ms}; retention deletes nothing. A snapshot's
 * key is its (group, topic, partition) and a group's configs have a key of their own, so compaction keeps exactly
 * what replay needs; a deleted share partition or group, and configs set back to none, write a tombstone.
 * {@code cleanup.policy} and {@code segment.bytes} are re-applied at each open, so data directories from before
 * compaction become compacted too (their records behind the old copy-forward log start stay deleted).
 */
public final class LogShareStateStore implements ShareStateStore {
    /** Name of the internal topic, as in Kafka. */
    public static final String TOPIC = "__share_group_state";
    /**
     * Segment size of the topic (Kafka's {@code share.coordinator.state.topic.segment.bytes}, not configurable
     * here). The cleaner only cleans closed segments, so it bounds the not yet compacted history a start replays.
     */
    public static final int DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;
    private static final int BATCH_BYTES = 512 * 1024;
    private static final int READ_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(LogShareStateStore.class);

    private final PartitionLog partition;
    private final IngestPipeline pipeline;
    private final Object lock = new Object();
    private LinkedHashMap<ByteBuffer, Pending> pending = new LinkedHashMap<>();
    private boolean closed;
    private final Map<String, Map<String, String>> groupConfigs = new HashMap<>();
    private Thread writer;

    private static final class Pending {
        Supplier<ByteBuffer> value;
        final List<CompletableFuture<Void>> done = new ArrayList<>(1);
    }

    private LogShareStateStore(PartitionLog partition, IngestPipeline pipeline) {
        this.partition = partition;
        this.pipeline = pipeline;
    }

    /** Opens the store with {@link #DEFAULT_SEGMENT_BYTES}. */
    public static LogShareStateStore open(LogManager log, IngestPipeline pipeline) {
        return open(log, pipeline, DEFAULT_SEGMENT_BYTES);
    }

    /**
     * Opens the store, creating {@value #TOPIC} (one partition, compacted) if it does not exist, else setting
     * its cleanup policy and segment size.
     *
     * @throws IllegalArgumentException if {@code segmentBytes} is below 1024
     */
    public static LogShareStateStore open(LogManager log, IngestPipeline pipeline, int segmentBytes) {
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segment.bytes of " + TOPIC + " must be at least 1024, got "
                    + segmentBytes);
        }
        return new LogShareStateStore(topic(log, segmentBytes).partition(0), pipeline);
    }

    private static Topic topic(LogManager log, int segmentBytes) {
        Map<String, String> wanted = Map.of(LogConfig.CLEANUP_POLICY, "compact",
                LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes));
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

    @Override
    public Map<ShareKey, ShareSnapshot> load() throws IOException {
        Map<ByteBuffer, ByteBuffer> live = new HashMap<>();
        long offset = partition.logStartOffset();
        long end = partition.highWatermark();
        while (offset < end) {
            LogSlice slice = partition.read(offset, READ_BYTES, end, true);
            if (slice.isEmpty()) {
                break;
            }
            ByteBuffer bytes = ByteBuffer.allocate(slice.size());
            while (bytes.hasRemaining()) {
                if (slice.channel().read(bytes, slice.position() + bytes.position()) < 0) {
                    throw new IOException("unexpected end of " + TOPIC + " at position " + slice.position());
                }
            }
            bytes.flip();
            long next = RecordBatchReader.forEach(bytes, (recordOffset, timestamp, key, value, headers) ->
            {
                ByteBuffer k = copy(key);
                if (value == null) {
                    live.remove(k);
                } else {
                    live.put(k, copy(value));
                }
            });
            if (next <= offset) {
                throw new IOException("no progress replaying " + TOPIC + " at offset " + offset);
            }
            offset = next;
        }
        Map<ShareKey, ShareSnapshot> snapshots = new HashMap<>();
        live.forEach((key, value) -> {
            String configGroup = ShareSnapshotCodec.configGroup(key);
            if (configGroup != null) {
                groupConfigs.put(configGroup, ShareSnapshotCodec.decodeConfigs(value));
            } else {
                snapshots.put(ShareSnapshotCodec.decodeKey(key), ShareSnapshotCodec.decodeValue(value));
            }
        });
        writer = new Thread(this::run, "tributary-share-state-writer");
        writer.setDaemon(true);
        writer.start();
        return snapshots;
    }

    @Override
    public Map<String, Map<String, String>> groupConfigs() {
        return Map.copyOf(groupConfigs);
    }

    @Override
    public CompletableFuture<Void> persist(ShareKey key, Supplier<ShareSnapshot> snapshot) {
        return write(ShareSnapshotCodec.encodeKey(key), () -> {
            ShareSnapshot s = snapshot.get();
            return s == null ? null : ShareSnapshotCodec.encodeValue(s);
        });
    }

    @Override
    public CompletableFuture<Void> persistGroupConfigs(String groupId, Map<String, String> configs) {
        ByteBuffer value = configs.isEmpty() ? null : ShareSnapshotCodec.encodeConfigs(configs);
        return write(ShareSnapshotCodec.encodeConfigKey(groupId), () -> value);
    }

    private CompletableFuture<Void> write(ByteBuffer key, Supplier<ByteBuffer> value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (closed || writer == null) {
                done.completeExceptionally(new IllegalStateException(TOPIC + " store is "
                        + (closed ? "closed" : "not loaded")));
                return done;
            }
            Pending p = pending.computeIfAbsent(key, k -> new Pending());
            p.value = value;
            p.done.add(done);
            lock.notifyAll();
        }
        return done;
    }

    private void run() {
        while (true) {
            LinkedHashMap<ByteBuffer, Pending> round;
            synchronized (lock) {
                while (pending.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                round = pending;
                pending = new LinkedHashMap<>();
            }
            write(round);
        }
    }

    private void write(LinkedHashMap<ByteBuffer, Pending> round) {
        List<ByteBuffer> keys = new ArrayList<>(round.keySet());
        List<ByteBuffer> values = new ArrayList<>(keys.size());
        for (ByteBuffer key : keys) {
            values.add(round.get(key).value.get());
        }
        Throwable failure = null;
        try {
            append(keys, values);
        } catch (IOException | RuntimeException e) {
            LOG.error("Writing {} share-partition states to {} failed", keys.size(), TOPIC, e);
            failure = e;
        }
        for (Pending p : round.values()) {
            for (CompletableFuture<Void> done : p.done) {
                if (failure == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure);
                }
            }
        }
    }

    private void append(List<ByteBuffer> keys, List<ByteBuffer> values) throws IOException {
        long now = System.currentTimeMillis();
        RecordBatchWriter batch = new RecordBatchWriter(4096);
        for (int i = 0; i < keys.size(); i++) {
            if (batch.count() > 0 && batch.size() >= BATCH_BYTES) {
                offerAndWait(batch.build());
                batch = new RecordBatchWriter(4096);
            }
            batch.append(now, keys.get(i), values.get(i));
        }
        if (batch.count() > 0) {
            offerAndWait(batch.build());
        }
    }

    private void offerAndWait(ByteBuffer batch) throws IOException {
        CompletableFuture<AppendResult> appended = new CompletableFuture<>();
        while (pipeline.offer(partition, batch, appended::complete) == OfferResult.BACK_PRESSURED) {
            LockSupport.parkNanos(1_000_000);
        }
        AppendResult result;
        try {
            result = appended.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while appending to " + TOPIC, e);
        } catch (ExecutionException e) {
            throw new IOException("append to " + TOPIC + " failed", e.getCause());
        }
        if (result.error() != AppendError.NONE) {
            throw new IOException("append to " + TOPIC + " failed: " + result.error() + " " + result.message());
        }
    }

    private static ByteBuffer copy(ByteBuffer value) {
        if (value == null) {
            return null;
        }
        ByteBuffer copy = ByteBuffer.allocate(value.remaining());
        copy.put(value.duplicate()).flip();
        return copy;
    }

    /** Finishes the writes already asked for, then stops the writer. */
    @Override
    public void close() {
        Thread thread;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            thread = writer;
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The partition the store writes; for tests. */
    PartitionLog partition() {
        return partition;
    }
}
