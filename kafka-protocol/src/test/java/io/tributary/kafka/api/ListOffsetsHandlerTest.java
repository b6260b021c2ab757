package io.tributary.kafka.api;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.Topic;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Offsets by time inside compressed batches, max timestamp, and the special timestamps. */
@Timeout(15)
class ListOffsetsHandlerTest {
    @TempDir
    Path dir;
    private LogManager log;
    private IngestPipeline ingest;
    private EventLoop loop;
    private ExecutorService reads;

    @BeforeEach
    void setUp() throws Exception {
        log = LogManager.open(LogManagerConfig.builder(dir).build());
        ingest = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir).ringSize(64).build());
        loop = new DefaultEventLoop();
        reads = Executors.newSingleThreadExecutor();
        Topic topic = log.createTopic("lo", 1, Map.of());
        // offsets 0-2 in one gzip batch with timestamps 100, 300, 200; offsets 3-4 in another with 400, 500
        append(topic, MemoryRecords.withRecords(Compression.gzip().build(), record(100), record(300), record(200)));
        append(topic, MemoryRecords.withRecords(Compression.gzip().build(), record(400), record(500)));
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        reads.shutdownNow();
        ingest.close();
        log.close();
    }

    @Test
    void looksUpOnTheReadExecutorWhileTheEventLoopServesOthers() throws Exception {
        // Given a read executor held busy
        CountDownLatch release = new CountDownLatch(1);
        reads.execute(() -> {
            try {
                release.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        // When a max-timestamp lookup (a scan of every batch header) arrives
        TestContext context = send(-3L, (short) 11);

        // Then the event loop stays free and the answer waits for the read executor
        assertThat(loop.submit(() -> "free").get(5, TimeUnit.SECONDS)).isEqualTo("free");
        assertThat(context.outcome).isNotDone();
        release.countDown();
        ListOffsetsResponseData response = (ListOffsetsResponseData) context.outcome.get(10, TimeUnit.SECONDS).response();
        assertThat(response.topics().get(0).partitions().get(0).timestamp()).isEqualTo(500);
    }

    @Test
    void timestampSearchRefinesInsideACompressedBatch() throws Exception {
        ListOffsetsPartitionResponse answer = listOffsets(250, (short) 11);
        assertThat(answer.offset()).isEqualTo(1);
        assertThat(answer.timestamp()).isEqualTo(300);
        assertThat(answer.leaderEpoch()).isZero();
    }

    @Test
    void timestampAfterEverythingFindsNothing() throws Exception {
        ListOffsetsPartitionResponse answer = listOffsets(501, (short) 11);
        assertThat(answer.errorCode()).isZero();
        assertThat(answer.offset()).isEqualTo(-1);
        assertThat(answer.timestamp()).isEqualTo(-1);
    }

    @Test
    void specialTimestamps() throws Exception {
        assertThat(listOffsets(ListOffsetsRequest.EARLIEST_TIMESTAMP, (short) 11).offset()).isZero();
        assertThat(listOffsets(ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP, (short) 11).offset()).isZero();
        assertThat(listOffsets(ListOffsetsRequest.LATEST_TIMESTAMP, (short) 11).offset()).isEqualTo(5);
        assertThat(listOffsets(ListOffsetsRequest.LATEST_TIERED_TIMESTAMP, (short) 11).offset()).isEqualTo(-1);
        ListOffsetsPartitionResponse max = listOffsets(ListOffsetsRequest.MAX_TIMESTAMP, (short) 11);
        assertThat(max.offset()).isEqualTo(4);
        assertThat(max.timestamp()).isEqualTo(500);
        assertThat(listOffsets(ListOffsetsRequest.LATEST_TIMESTAMP, (short) 1).leaderEpoch()).isEqualTo(-1);
    }

    private static SimpleRecord record(long timestamp) {
        return new SimpleRecord(timestamp, "k".getBytes(), "value".getBytes());
    }

    private void append(Topic topic, MemoryRecords records) throws Exception {
        CompletableFuture<AppendResult> done = new CompletableFuture<>();
        ingest.offer(topic.partition(0), records.buffer(), done::complete);
        assertThat(done.get(5, TimeUnit.SECONDS).error()).isEqualTo(io.tributary.pipeline.AppendError.NONE);
    }

    private ListOffsetsPartitionResponse listOffsets(long timestamp, short version) throws Exception {
        TestContext context = send(timestamp, version);
        ListOffsetsResponseData response = (ListOffsetsResponseData) context.outcome.get(5, TimeUnit.SECONDS).response();
        ListOffsetsPartitionResponse answer = response.topics().get(0).partitions().get(0);
        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        return answer;
    }

    private TestContext send(long timestamp, short version) throws Exception {
        ListOffsetsRequestData.ListOffsetsTopic topic = new ListOffsetsRequestData.ListOffsetsTopic().setName("lo");
        topic.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(timestamp));
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1);
        request.topics().add(topic);
        TestContext context = new TestContext(ApiKeys.LIST_OFFSETS, version, request, loop);
        loop.execute(() -> new ListOffsetsHandler(log, NoTransactions::new, reads).handle(context));
        return context;
    }
}
