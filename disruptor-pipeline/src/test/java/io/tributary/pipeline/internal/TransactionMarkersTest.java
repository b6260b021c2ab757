package io.tributary.pipeline.internal;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.Topic;
import io.tributary.pipeline.AbortedTransaction;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.MarkerType;
import io.tributary.pipeline.OfferResult;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tributary.log.testing.TestBatches.batch;
import static io.tributary.pipeline.internal.Offers.append;
import static org.assertj.core.api.Assertions.assertThat;

/** Transactional batches, markers, the last stable offset and aborted transactions, over a real log. */
@Timeout(60)
class TransactionMarkersTest {
    private static final Map<String, String> ASYNC = Map.of(LogConfig.FLUSH_POLICY, "async", LogConfig.FLUSH_MS, "3600000");

    @TempDir
    Path dir;

    private LogManager log;
    private IngestPipeline pipeline;

    private void open() {
        log = LogManager.open(LogManagerConfig.builder(dir.resolve("data")).build());
        pipeline = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir.resolve("data")).ringSize(64).build());
    }

    @AfterEach
    void closeAll() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }

    private static ByteBuffer txnBatch(long producerId, int epoch, int sequence, int records) {
        return batch().producer(producerId, epoch, sequence).records(records)
                .attributes(RecordBatchHeader.TRANSACTIONAL_FLAG_MASK).build();
    }

    private AppendResult mark(PartitionLog partition, long producerId, int epoch, MarkerType type) throws Exception {
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        assertThat(pipeline.offerMarker(partition, producerId, (short) epoch, type, 0, result::complete))
                .isEqualTo(OfferResult.ACCEPTED);
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void openTransactionHoldsTheLastStableOffsetUntilItsCommitMarker() throws Exception {
        // Given a plain batch (offsets 0-1), then producer 7's transaction from offset 2
        open();
        PartitionLog p = log.createTopic("t", 1, ASYNC).partition(0);
        append(pipeline, p, batch().records(2).build());
        append(pipeline, p, txnBatch(7, 0, 0, 3));
        append(pipeline, p, batch().records(1).build());
        assertThat(pipeline.transactions(p).lastStableOffset()).isEqualTo(2);
        assertThat(pipeline.transactions(p).openTransactions()).containsEntry(7L, 2L);

        // When the commit marker is written
        AppendResult marker = mark(p, 7, 0, MarkerType.COMMIT);

        // Then it takes offset 6, the LSO reaches the high watermark and nothing is listed aborted
        assertThat(marker.error()).isEqualTo(AppendError.NONE);
        assertThat(marker.baseOffset()).isEqualTo(6);
        assertThat(pipeline.transactions(p).lastStableOffset()).isEqualTo(7).isEqualTo(p.highWatermark());
        assertThat(pipeline.transactions(p).abortedTransactions(0, 7)).isEmpty();
    }

    @Test
    void abortIsListedForReadsThatMeetItAndSurvivesARestart() throws Exception {
        // Given producer 9's aborted transaction at offsets 0-2 (marker at 2), then a committed one of producer 10
        open();
        Topic topic = log.createTopic("t", 1, ASYNC);
        PartitionLog p = topic.partition(0);
        append(pipeline, p, txnBatch(9, 0, 0, 2));
        mark(p, 9, 0, MarkerType.ABORT);
        append(pipeline, p, txnBatch(10, 0, 0, 1));
        mark(p, 10, 0, MarkerType.COMMIT);
        append(pipeline, p, txnBatch(11, 0, 0, 1));
        List<AbortedTransaction> before = new ArrayList<>(pipeline.transactions(p).abortedTransactions(0, 10));

        // When the broker restarts
        closeAll();
        open();
        p = log.topic("t").orElseThrow().partition(0);

        // Then the abort is still listed, producer 11's transaction still holds the LSO, and reads past the marker meet nothing
        assertThat(before).containsExactly(new AbortedTransaction(9, 0, 2));
        assertThat(pipeline.transactions(p).abortedTransactions(0, 10)).isEqualTo(before);
        assertThat(pipeline.transactions(p).abortedTransactions(3, 10)).isEmpty();
        assertThat(pipeline.transactions(p).abortedTransactions(0, 0)).isEmpty();
        assertThat(pipeline.transactions(p).lastStableOffset()).isEqualTo(5);
    }

    @Test
    void markerOfANewerEpochFencesTheOlderEpochsBatches() throws Exception {
        // Given producer 5's transaction at epoch 0, aborted by a marker of epoch 1 (a fenced or timed-out producer)
        open();
        PartitionLog p = log.createTopic("t", 1, ASYNC).partition(0);
        append(pipeline, p, txnBatch(5, 0, 0, 1));
        mark(p, 5, 1, MarkerType.ABORT);

        // When the old epoch writes again, and a marker of epoch 0 comes late
        AppendResult zombie = append(pipeline, p, txnBatch(5, 0, 1, 1));
        AppendResult lateMarker = mark(p, 5, 0, MarkerType.COMMIT);

        // Then both are refused, and the new epoch may start at sequence 0
        assertThat(zombie.error()).isEqualTo(AppendError.INVALID_PRODUCER_EPOCH);
        assertThat(lateMarker.error()).isEqualTo(AppendError.INVALID_PRODUCER_EPOCH);
        assertThat(append(pipeline, p, txnBatch(5, 1, 0, 1)).error()).isEqualTo(AppendError.NONE);
    }
}
