package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.internal.records.CorruptRecordException;
import io.tributary.delivery.internal.records.RecordBatchReader;
import io.tributary.delivery.internal.records.RecordBatchWriter;
import io.tributary.delivery.internal.records.RecordHeader;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.log.TopicExistsException;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link DeadLetters} into topics of the log, appended through the ingest pipeline by one thread of its own,
 * as Kafka 4.4 writes them (KIP-1191): one record per dead offset, timestamped now, with the headers
 *
 * <pre>
 *   __dlq.errors.topic           source topic
 *   __dlq.errors.partition       source partition (decimal)
 *   __dlq.errors.offset          source offset (decimal)
 *   __dlq.errors.group           share group id
 *   __dlq.errors.delivery.count  deliveries (decimal)
 *   __dlq.errors.message         "Offset rejected by client." | "Offset delivery count exceeded the threshold."
 * </pre>
 *
 * and, when the group sets {@code errors.deadletterqueue.copy.record.enable}, the source record's key and value
 * (else none). A source partition's dead letters go to partition {@code source partition % partitions} of the
 * dead-letter topic.
 *
 * <p>A dead-letter topic must not start with {@code __}, must have the broker's
 * {@code errors.deadletterqueue.topic.name.prefix}, and if it exists must have the topic config
 * {@value #GROUP_ENABLE}{@code =true}; a missing one is created (with that config and CreateTime timestamps)
 * only when {@code errors.deadletterqueue.auto.create.topics.enable} is set. Otherwise the write fails, as
 * Kafka's does. Copying needs the source batch uncompressed; a compressed batch's records get a dead letter
 * with the headers only, and a log line.
 */
public final class LogDeadLetters implements DeadLetters, AutoCloseable {
    /** Topic config that allows a topic to take share groups' dead letters (Kafka's name). */
    public static final String GROUP_ENABLE = LogConfig.DEAD_LETTER_QUEUE_GROUP_ENABLE;
    public static final String HEADER_TOPIC = "__dlq.errors.topic";
    public static final String HEADER_PARTITION = "__dlq.errors.partition";
    public static final String HEADER_OFFSET = "__dlq.errors.offset";
    public static final String HEADER_GROUP = "__dlq.errors.group";
    public static final String HEADER_DELIVERY_COUNT = "__dlq.errors.delivery.count";
    public static final String HEADER_MESSAGE = "__dlq.errors.message";
    private static final int BATCH_BYTES = 512 * 1024;
    private static final int READ_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(LogDeadLetters.class);

    private final LogManager log;
    private final IngestPipeline pipeline;
    private final DeadLetterConfig config;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "tributary-share-dlq");
        thread.setDaemon(true);
        return thread;
    });

    public LogDeadLetters(LogManager log, IngestPipeline pipeline, DeadLetterConfig config) {
        this.log = log;
        this.pipeline = pipeline;
        this.config = config;
    }

    @Override
    public CompletableFuture<Void> write(String groupId, TopicPartition source, String topic, boolean copyRecord,
                                         List<DeadLetter> letters) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    append(groupId, source, topic, copyRecord, letters);
                    done.complete(null);
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private void append(String groupId, TopicPartition source, String topicName, boolean copyRecord,
                        List<DeadLetter> letters) throws IOException {
        Topic topic = topic(groupId, topicName);
        PartitionLog destination = topic.partition(source.partition() % topic.partitionCount());
        Map<Long, ByteBuffer[]> originals = copyRecord ? originals(source, letters) : Map.of();
        long now = System.currentTimeMillis();
        RecordBatchWriter batch = new RecordBatchWriter(4096);
        for (DeadLetter letter : letters) {
            if (batch.count() > 0 && batch.size() >= BATCH_BYTES) {
                offerAndWait(destination, batch.build(), topicName);
                batch = new RecordBatchWriter(4096);
            }
            ByteBuffer[] original = originals.get(letter.offset());
            batch.append(now, original == null ? null : original[0], original == null ? null : original[1],
                    headers(groupId, source, letter));
        }
        if (batch.count() > 0) {
            offerAndWait(destination, batch.build(), topicName);
        }
    }

    private Topic topic(String groupId, String name) {
        if (name.startsWith("__")) {
            throw new IllegalStateException("Configured DLQ topic name in share group: " + groupId
                    + " cannot start with __, topic: " + name + ".");
        }
        if (!config.topicNamePrefix().isEmpty() && !name.startsWith(config.topicNamePrefix())) {
            throw new IllegalStateException("Configured DLQ topic name does not comply with the DLQ topic prefix in "
                    + "share group: " + groupId + ", topic: " + name + ", prefix: " + config.topicNamePrefix() + ".");
        }
        Optional<Topic> existing = log.topic(name);
        if (existing.isEmpty()) {
            if (!config.autoCreateTopics()) {
                throw new IllegalStateException("DLQ topic does not exist and auto create is disabled on cluster for "
                        + "share group: " + groupId + ", topic: " + name + ".");
            }
            try {
                Topic created = log.createTopic(name, config.createdPartitions(), Map.of(GROUP_ENABLE, "true",
                        LogConfig.MESSAGE_TIMESTAMP_TYPE, "CreateTime"));
                LOG.info("Created dead-letter topic {} ({} partitions) for share group {}", name,
                        config.createdPartitions(), groupId);
                return created;
            } catch (TopicExistsException e) {
                existing = log.topic(name);
                if (existing.isEmpty()) {
                    throw e;
                }
            }
        }
        Topic topic = existing.get();
        if (!topic.config().deadLetterQueueGroupEnable()) {
            throw new IllegalStateException("DLQ is not enabled on configured DLQ topic for share group: " + groupId
                    + ", topic: " + name + ".");
        }
        return topic;
    }

    /** Key and value of the letters' records, by offset; none for records in compressed batches. */
    private Map<Long, ByteBuffer[]> originals(TopicPartition source, List<DeadLetter> letters) throws IOException {
        Map<Long, ByteBuffer[]> found = new HashMap<>();
        Optional<Topic> topic = log.topic(source.topic());
        if (topic.isEmpty() || letters.isEmpty()) {
            return found;
        }
        PartitionLog partition = topic.get().partition(source.partition());
        java.util.Set<Long> wanted = new java.util.HashSet<>();
        letters.forEach(l -> wanted.add(l.offset()));
        long last = letters.get(letters.size() - 1).offset();
        long offset = Math.max(letters.get(0).offset(), partition.logStartOffset());
        long end = Math.min(last + 1, partition.highWatermark());
        try {
            while (offset < end) {
                LogSlice slice = partition.read(offset, READ_BYTES, end, true);
                if (slice.isEmpty()) {
                    break;
                }
                ByteBuffer bytes = ByteBuffer.allocate(slice.size());
                while (bytes.hasRemaining()) {
                    if (slice.channel().read(bytes, slice.position() + bytes.position()) < 0) {
                        throw new IOException("unexpected end of " + source + " at position " + slice.position());
                    }
                }
                bytes.flip();
                long next = RecordBatchReader.forEach(bytes, (recordOffset, timestamp, key, value, headers) -> {
                    if (wanted.contains(recordOffset)) {
                        found.put(recordOffset, new ByteBuffer[] {copy(key), copy(value)});
                    }
                });
                if (next <= offset) {
                    break;
                }
                offset = next;
            }
        } catch (CorruptRecordException e) {
            LOG.warn("Dead letters of {}: the records are not copied ({}); headers only", source, e.getMessage());
        }
        return found;
    }

    private static List<RecordHeader> headers(String groupId, TopicPartition source, DeadLetter letter) {
        List<RecordHeader> headers = new ArrayList<>(6);
        headers.add(header(HEADER_TOPIC, source.topic()));
        headers.add(header(HEADER_PARTITION, Integer.toString(source.partition())));
        headers.add(header(HEADER_OFFSET, Long.toString(letter.offset())));
        headers.add(header(HEADER_GROUP, groupId));
        headers.add(header(HEADER_DELIVERY_COUNT, Integer.toString(letter.deliveryCount())));
        headers.add(header(HEADER_MESSAGE, letter.cause().message()));
        return headers;
    }

    private static RecordHeader header(String key, String value) {
        return new RecordHeader(key, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
    }

    private void offerAndWait(PartitionLog partition, ByteBuffer batch, String topic) throws IOException {
        CompletableFuture<AppendResult> appended = new CompletableFuture<>();
        while (pipeline.offer(partition, batch, appended::complete) == OfferResult.BACK_PRESSURED) {
            LockSupport.parkNanos(1_000_000);
        }
        AppendResult result;
        try {
            result = appended.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while appending dead letters to " + topic, e);
        } catch (ExecutionException e) {
            throw new IOException("append of dead letters to " + topic + " failed", e.getCause());
        }
        if (result.error() != AppendError.NONE) {
            throw new IOException("append of dead letters to " + topic + " failed: " + result.error() + " "
                    + result.message());
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

    /** Finishes the writes already asked for, then stops the writer thread. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
        }
    }
}
