package io.tributary.kafka.api;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.tributary.kafka.network.LogSliceRecords;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AbortedTransaction;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import io.tributary.pipeline.PipelineConfig;
import io.tributary.pipeline.TransactionView;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Fetch over a real log and pipeline: byte limits, segment crossing, errors, long-polling. */
@Timeout(20)
class FetchHandlerTest {
    private static final int BATCH_VALUE_BYTES = 300;

    @TempDir
    Path dir;
    private LogManager log;
    private IngestPipeline ingest;
    private EventLoop loop;
    private ExecutorService reads;
    private FetchPurgatory purgatory;
    private Topic topic;

    @BeforeEach
    void setUp() {
        log = LogManager.open(LogManagerConfig.builder(dir).build());
        ingest = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir).ringSize(64).build());
        purgatory = new FetchPurgatory();
        ingest.addCommitListener(purgatory);
        topic = log.createTopic("f", 2, Map.of("segment.bytes", "1000"));
        loop = new DefaultEventLoop();
        reads = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        reads.shutdownNow();
        ingest.close();
        log.close();
    }

    @Test
    void readsOnTheReadExecutorWhileTheEventLoopServesOthers() throws Exception {
        // Given a stored batch and a read executor held busy
        append(0);
        CountDownLatch release = new CountDownLatch(1);
        reads.execute(() -> awaitQuietly(release));

        // When a fetch arrives
        TestContext context = start(request(0, 0, 1 << 20, 1 << 20), (short) 12);

        // Then the event loop stays free and the fetch waits for the read executor, then answers with the data
        assertThat(loop.submit(() -> "free").get(5, TimeUnit.SECONDS)).isEqualTo("free");
        assertThat(context.outcome).isNotDone();
        release.countDown();
        FetchResponseData response = (FetchResponseData) context.outcome.get(10, TimeUnit.SECONDS).response();
        assertThat(lastOffset(response.responses().get(0).partitions().get(0))).isEqualTo(0);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void readsAcrossSegmentBoundaries() throws Exception {
        // Given ten batches of ~370 bytes in 1000-byte segments
        for (int i = 0; i < 10; i++) {
            append(0);
        }

        // When fetched with room for everything
        PartitionData data = fetch(request(0, 0, 1 << 20, 1 << 20), (short) 12).responses().get(0).partitions().get(0);

        // Then all ten come back, from several slices
        assertThat(data.errorCode()).isZero();
        assertThat(((LogSliceRecords) data.records()).slices()).hasSizeGreaterThan(1);
        assertThat(lastOffset(data)).isEqualTo(9);
        assertThat(data.highWatermark()).isEqualTo(10);
    }

    @Test
    void firstBatchComesWholeEvenAboveTheLimitsButNothingMore() throws Exception {
        // Given data in both partitions
        append(0);
        append(0);
        append(1);

        // When the limits are smaller than one batch
        FetchRequestData request = request(0, 0, 10, 10);
        request.topics().get(0).partitions().add(new FetchRequestData.FetchPartition().setPartition(1)
                .setFetchOffset(0).setPartitionMaxBytes(1 << 20));
        FetchResponseData response = fetch(request, (short) 11);

        // Then partition 0 returns its first batch only (KIP-74) and partition 1 nothing
        PartitionData first = response.responses().get(0).partitions().get(0);
        PartitionData second = response.responses().get(0).partitions().get(1);
        assertThat(lastOffset(first)).isZero();
        assertThat(second.records().sizeInBytes()).isZero();
        assertThat(second.highWatermark()).isEqualTo(1);
    }

    @Test
    void offsetBeyondTheEndIsOutOfRange() throws Exception {
        append(0);
        PartitionData data = fetch(request(0, 5, 1000, 1000), (short) 12).responses().get(0).partitions().get(0);
        assertThat(data.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
    }

    @Test
    void unknownTopicByNameAndById() throws Exception {
        FetchRequestData byName = request(0, 0, 1000, 1000);
        byName.topics().get(0).setTopic("nope");
        assertThat(fetch(byName, (short) 12).responses().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

        FetchRequestData byId = request(0, 0, 1000, 1000);
        byId.topics().get(0).setTopicId(Uuid.randomUuid());
        assertThat(fetch(byId, (short) 13).responses().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    @Test
    void parkedFetchWakesOnCommit() throws Exception {
        // Given a fetch waiting up to 10 s for one byte on an empty partition
        FetchRequestData request = request(0, 0, 1000, 1000).setMinBytes(1).setMaxWaitMs(10_000);
        TestContext context = start(request, (short) 12);
        awaitParked(1);

        // When a batch is committed
        long start = System.nanoTime();
        append(0);

        // Then the fetch answers at once with it, and leaves the purgatory
        FetchResponseData response = (FetchResponseData) context.outcome.get(5, TimeUnit.SECONDS).response();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
        assertThat(lastOffset(response.responses().get(0).partitions().get(0))).isZero();
        awaitParked(0);
    }

    @Test
    @Timeout(90)
    void readCommittedFetchThatParksFindsACommitBetweenItsReadsOfTheLastStableOffsetAndTheHighWatermark()
            throws Exception {
        // Given a record of a transaction still open, and a read_committed fetch waiting up to 120 s for one byte;
        // the transaction commits while the fetch reads, after its read of the last stable offset, and the commit's
        // wake-up has gone out (to nobody) before the fetch parks
        append(0);
        CommitWhileRead transaction = new CommitWhileRead(topic.partition(0));
        FetchRequestData request = request(0, 0, 1000, 1000).setMinBytes(1).setMaxWaitMs(120_000)
                .setIsolationLevel((byte) 1);

        // When the fetch runs
        TestContext context = start(request, (short) 12, partition -> transaction);

        // Then parking it sees the commit it did not read, and answers with both records long before its max wait
        FetchResponseData response = (FetchResponseData) context.outcome.get(60, TimeUnit.SECONDS).response();
        PartitionData data = response.responses().get(0).partitions().get(0);
        assertThat(transaction.committed).isTrue();
        assertThat(lastOffset(data)).isEqualTo(1);
        assertThat(data.lastStableOffset()).isEqualTo(2);
        awaitParked(0);
    }

    /**
     * A transaction open from offset 0 that commits (one more record through the pipeline) during the first read of
     * its last stable offset, which still answers 0; it returns once the commit listeners after the purgatory saw
     * the commit, so the purgatory's wake-up for it has gone out.
     */
    private final class CommitWhileRead implements TransactionView {
        private final PartitionLog partition;
        volatile boolean committed;

        CommitWhileRead(PartitionLog partition) {
            this.partition = partition;
        }

        @Override
        public long lastStableOffset() {
            if (committed) {
                return partition.highWatermark();
            }
            committed = true;
            CountDownLatch notified = new CountDownLatch(1);
            ingest.addCommitListener((p, highWatermark) -> {
                if (p == partition && highWatermark == 2) {
                    notified.countDown();
                }
            });
            try {
                append(0);
                if (!notified.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the commit listeners never saw the commit");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return 0;
        }

        @Override
        public List<AbortedTransaction> abortedTransactions(long from, long upperBound) {
            return List.of();
        }

        @Override
        public Map<Long, Long> openTransactions() {
            return committed ? Map.of() : Map.of(7L, 0L);
        }
    }

    @Test
    void parkedFetchAnswersEmptyAtMaxWait() throws Exception {
        FetchRequestData request = request(0, 0, 1000, 1000).setMinBytes(1).setMaxWaitMs(150);
        long start = System.nanoTime();
        FetchResponseData response = fetch(request, (short) 12);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(140));
        assertThat(response.responses().get(0).partitions().get(0).records().sizeInBytes()).isZero();
        assertThat(purgatory.parkedCount()).isZero();
    }

    private FetchRequestData request(int partition, long offset, int partitionMaxBytes, int maxBytes) {
        FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic().setTopic("f")
                .setTopicId(Topics.kafkaId(topic));
        fetchTopic.partitions().add(new FetchRequestData.FetchPartition().setPartition(partition).setFetchOffset(offset)
                .setPartitionMaxBytes(partitionMaxBytes));
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(maxBytes)
                .setReplicaId(-1);
        request.topics().add(fetchTopic);
        return request;
    }

    private FetchResponseData fetch(FetchRequestData request, short version) throws Exception {
        return (FetchResponseData) start(request, version).outcome.get(10, TimeUnit.SECONDS).response();
    }

    private TestContext start(FetchRequestData request, short version) throws Exception {
        return start(request, version, NoTransactions::new);
    }

    private TestContext start(FetchRequestData request, short version,
                              Function<PartitionLog, TransactionView> transactions) throws Exception {
        TestContext context = new TestContext(ApiKeys.FETCH, version, request, loop);
        loop.execute(() -> new FetchHandler(log, transactions, purgatory, reads).handle(context));
        return context;
    }

    private void awaitParked(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (purgatory.parkedCount() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(purgatory.parkedCount()).isEqualTo(count);
    }

    private void append(int partition) throws Exception {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[BATCH_VALUE_BYTES]));
        CompletableFuture<AppendResult> done = new CompletableFuture<>();
        assertThat(ingest.offer(topic.partition(partition), records.buffer(), done::complete)).isEqualTo(OfferResult.ACCEPTED);
        assertThat(done.get(5, TimeUnit.SECONDS).error()).isEqualTo(AppendError.NONE);
    }

    private static long lastOffset(PartitionData data) {
        List<io.tributary.log.LogSlice> slices = ((LogSliceRecords) data.records()).slices();
        return slices.get(slices.size() - 1).lastOffset();
    }
}
