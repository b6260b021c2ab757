package io.tributary.pipeline.internal;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.Topic;
import io.tributary.log.testing.TestBatches;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tributary.log.testing.TestBatches.batch;
import static io.tributary.pipeline.internal.Offers.append;
import static io.tributary.pipeline.internal.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline over a real {@link LogManager} in a temporary directory. */
@Timeout(60)
class DisruptorIngestPipelineTest {
    /** No periodic flush during a test, so every fsync counted is the pipeline's. */
    private static final Map<String, String> ASYNC = Map.of(LogConfig.FLUSH_POLICY, "async", LogConfig.FLUSH_MS, "3600000");
    private static final Map<String, String> SYNC = Map.of(LogConfig.FLUSH_POLICY, "sync", LogConfig.FLUSH_MS, "3600000");

    @TempDir
    Path dir;

    private LogManager log;
    private IngestPipeline pipeline;

    private void open() {
        log = LogManager.open(LogManagerConfig.builder(dir.resolve("data")).build());
        pipeline = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir.resolve("data")).ringSize(1024).build());
    }

    private void closeAll() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }

    @AfterEach
    void tearDown() {
        closeAll();
    }

    @Test
    void concurrentAppendersKeepTheirOrderInEachPartition() throws Exception {
        // Given 8 threads appending 2000 batches each round-robin over 4 partitions, without waiting
        open();
        Topic topic = log.createTopic("orders", 4, ASYNC);
        int threads = 8;
        int perThread = 2000;
        List<List<CompletableFuture<AppendResult>>> results = new ArrayList<>();
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<AppendResult>> mine = new ArrayList<>();
            results.add(mine);
            int thread = t;
            appenders.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    // the batch timestamp tags it with its sender and send index
                    mine.add(offer(pipeline, topic.partition(i % 4), batch().timestamp(thread * 1_000_000L + i).build()));
                }
            }));
        }

        // When
        appenders.forEach(Thread::start);
        for (Thread appender : appenders) {
            appender.join();
        }

        // Then every append succeeded at a distinct offset of its partition
        Set<String> offsets = new HashSet<>();
        for (List<CompletableFuture<AppendResult>> mine : results) {
            for (int i = 0; i < perThread; i++) {
                AppendResult result = mine.get(i).get(10, TimeUnit.SECONDS);
                assertThat(result.error()).isEqualTo(AppendError.NONE);
                assertThat(offsets.add((i % 4) + ":" + result.baseOffset())).isTrue();
            }
        }
        // and each partition holds each thread's batches in the order it sent them
        for (int p = 0; p < 4; p++) {
            PartitionLog partition = topic.partition(p);
            assertThat(partition.logEndOffset()).isEqualTo(threads * perThread / 4);
            assertThat(partition.highWatermark()).isEqualTo(partition.logEndOffset());
            Map<Long, Long> lastIndexByThread = new HashMap<>();
            int[] count = new int[1];
            partition.scanBatches(0, header -> {
                long thread = header.baseTimestamp() / 1_000_000L;
                long index = header.baseTimestamp() % 1_000_000L;
                Long previous = lastIndexByThread.put(thread, index);
                assertThat(previous == null ? -1 : previous).isLessThan(index);
                count[0]++;
            });
            assertThat(count[0]).isEqualTo(threads * perThread / 4);
        }
    }

    @Test
    void syncTopicGroupsFsyncs() throws Exception {
        // Given a sync topic and 4 threads keeping appends in flight
        open();
        PartitionLog partition = log.createTopic("sync", 1, SYNC).partition(0);
        long flushesBefore = partition.flushCount();
        int threads = 4;
        int perThread = 500;
        List<CompletableFuture<AppendResult>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            appenders.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    all.add(offer(pipeline, partition, batch().valueSize(512).build()));
                }
            }));
        }

        // When
        appenders.forEach(Thread::start);
        for (Thread appender : appenders) {
            appender.join();
        }
        for (CompletableFuture<AppendResult> f : all) {
            assertThat(f.get(20, TimeUnit.SECONDS).error()).isEqualTo(AppendError.NONE);
        }

        // Then far fewer fsyncs than appends, but at least one
        long fsyncs = partition.flushCount() - flushesBefore;
        assertThat(fsyncs).isPositive().isLessThan(threads * perThread / 4);
        assertThat(partition.logEndOffset()).isEqualTo(threads * perThread);
    }

    @Test
    void asyncTopicIsNeverFsyncedByThePipeline() throws Exception {
        // Given
        open();
        PartitionLog partition = log.createTopic("async", 1, ASYNC).partition(0);
        long flushesBefore = partition.flushCount();

        // When
        List<CompletableFuture<AppendResult>> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            all.add(offer(pipeline, partition, batch().build()));
        }
        for (CompletableFuture<AppendResult> f : all) {
            assertThat(f.get(10, TimeUnit.SECONDS).error()).isEqualTo(AppendError.NONE);
        }

        // Then
        assertThat(partition.flushCount()).isEqualTo(flushesBefore);
        assertThat(partition.highWatermark()).isEqualTo(300);
    }

    @Test
    void idempotentRetryAcrossARestartIsNotWrittenTwice() throws Exception {
        // Given producer 42 wrote sequences 0-2 (after some other data), then the broker restarted
        open();
        log.createTopic("idem", 1, SYNC);
        append(pipeline, log.topic("idem").orElseThrow().partition(0), batch().records(5).build());
        AppendResult original = append(pipeline, log.topic("idem").orElseThrow().partition(0),
                batch().producer(42, 3, 0).records(3).build());
        closeAll();
        open();
        PartitionLog partition = log.topic("idem").orElseThrow().partition(0);
        long endBefore = partition.logEndOffset();
        long sizeBefore = partition.sizeInBytes();

        // When the producer retries that batch
        AppendResult retry = append(pipeline, partition, batch().producer(42, 3, 0).records(3).build());

        // Then it gets the original offset and the log is unchanged
        assertThat(original.baseOffset()).isEqualTo(5);
        assertThat(retry.error()).isEqualTo(AppendError.NONE);
        assertThat(retry.baseOffset()).isEqualTo(5);
        assertThat(partition.logEndOffset()).isEqualTo(endBefore).isEqualTo(8);
        assertThat(partition.sizeInBytes()).isEqualTo(sizeBefore);
        // and the rebuilt state still enforces the sequence
        assertThat(append(pipeline, partition, batch().producer(42, 3, 4).build()).error())
                .isEqualTo(AppendError.OUT_OF_ORDER_SEQUENCE);
        assertThat(append(pipeline, partition, batch().producer(42, 2, 3).build()).error())
                .isEqualTo(AppendError.INVALID_PRODUCER_EPOCH);
        assertThat(append(pipeline, partition, batch().producer(42, 3, 3).build()).baseOffset()).isEqualTo(8);
    }

    @Test
    void logAppendTimeIsStampedWithAValidCrc() throws Exception {
        // Given a LogAppendTime topic
        open();
        PartitionLog partition = log.createTopic("lat", 1,
                Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime")).partition(0);
        long before = System.currentTimeMillis();

        // When
        AppendResult result = append(pipeline, partition, batch().records(3).timestamp(1).build());

        // Then the stored batch carries the broker's time and a CRC that matches
        assertThat(result.logAppendTime()).isBetween(before, System.currentTimeMillis());
        List<ByteBuffer> stored = readAll(partition);
        assertThat(stored).hasSize(1);
        RecordBatchHeader header = new RecordBatchHeader().wrap(stored.get(0), 0);
        assertThat(header.isLogAppendTime()).isTrue();
        assertThat(header.maxTimestamp()).isEqualTo(result.logAppendTime());
        assertThat(header.isCrcValid()).isTrue();
    }

    @Test
    void batchLargerThanTheTopicMaximumIsRefused() throws Exception {
        // Given a topic accepting batches up to 500 bytes
        open();
        PartitionLog partition = log.createTopic("small", 1, Map.of(LogConfig.MAX_MESSAGE_BYTES, "500")).partition(0);

        // When / Then
        assertThat(append(pipeline, partition, batch().valueSize(600).build()).error())
                .isEqualTo(AppendError.RECORD_TOO_LARGE);
        assertThat(append(pipeline, partition, batch().valueSize(100).build()).error()).isEqualTo(AppendError.NONE);
        assertThat(partition.logEndOffset()).isEqualTo(1);
    }

    @Test
    void producerIdsAreNotReusedAfterARestart() {
        // Given ids handed out before a restart
        open();
        long before = Math.max(pipeline.producerIds().nextProducerId(), pipeline.producerIds().nextProducerId());
        closeAll();

        // When
        open();
        long after = pipeline.producerIds().nextProducerId();

        // Then
        assertThat(after).isGreaterThan(before);
    }

    @Test
    void idleStagesDoNotSpin() throws Exception {
        // Given a started pipeline that has done some work
        open();
        PartitionLog partition = log.createTopic("idle", 1, ASYNC).partition(0);
        append(pipeline, partition, batch().build());
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Thread> stages = stageThreads();
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
             stages.size() > 3 && System.nanoTime() < deadline; stages = stageThreads()) {
            Thread.sleep(20); // stage threads of pipelines closed by earlier tests are still exiting
        }
        Map<Long, Long> cpuBefore = new HashMap<>();
        for (Thread thread : stages) {
            cpuBefore.put(thread.getId(), threads.getThreadCpuTime(thread.getId()));
        }

        // When nothing is offered for a second
        Thread.sleep(1000);

        // Then the three stage threads used (almost) no CPU
        assertThat(cpuBefore).hasSize(3);
        long used = 0;
        for (Map.Entry<Long, Long> e : cpuBefore.entrySet()) {
            used += threads.getThreadCpuTime(e.getKey()) - e.getValue();
        }
        assertThat(used).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
    }

    private static List<Thread> stageThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("tributary-ingest-") && t.isAlive())
                .toList();
    }

    private static List<ByteBuffer> readAll(PartitionLog partition) throws IOException {
        List<ByteBuffer> batches = new ArrayList<>();
        long offset = partition.logStartOffset();
        while (offset < partition.highWatermark()) {
            LogSlice slice = partition.read(offset, 1 << 20, partition.highWatermark(), true);
            ByteBuffer bytes = ByteBuffer.allocate(slice.size());
            while (bytes.hasRemaining()) {
                if (slice.channel().read(bytes, slice.position() + bytes.position()) < 0) {
                    break;
                }
            }
            bytes.flip();
            RecordBatchHeader header = new RecordBatchHeader();
            for (int p = 0; p < bytes.limit(); p += header.sizeInBytes()) {
                header.wrap(bytes, p);
                ByteBuffer one = ByteBuffer.allocate(header.sizeInBytes());
                one.put(bytes.duplicate().position(p).limit(p + header.sizeInBytes())).flip();
                batches.add(one);
            }
            offset = slice.lastOffset() + 1;
        }
        return batches;
    }
}
