package io.tributary.pipeline.internal;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.pipeline.AbortedTransaction;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.MarkerType;
import io.tributary.pipeline.OfferResult;
import io.tributary.pipeline.PipelineConfig;
import io.tributary.pipeline.TransactionCleanerHints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tributary.log.testing.TestBatches.batch;
import static io.tributary.pipeline.internal.Offers.append;
import static org.assertj.core.api.Assertions.assertThat;

/** What the cleaner is told by {@link TransactionCleanerHints} over a real log and pipeline. */
@Timeout(60)
class TransactionCleanerHintsTest {
    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact",
            LogConfig.FLUSH_POLICY, "async", LogConfig.FLUSH_MS, "3600000");
    private static final byte[] KEY = {'k'};

    @TempDir
    Path dir;

    private final TransactionCleanerHints hints = new TransactionCleanerHints();
    private LogManager log;
    private IngestPipeline pipeline;

    @AfterEach
    void closeAll() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (log != null) {
            log.close();
        }
    }

    private static ByteBuffer txnBatch(long producerId, int records) {
        return batch().producer(producerId, 0, 0).records(records).key(KEY)
                .attributes(RecordBatchHeader.TRANSACTIONAL_FLAG_MASK).build();
    }

    private void mark(PartitionLog partition, long producerId, MarkerType type) throws Exception {
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        assertThat(pipeline.offerMarker(partition, producerId, (short) 0, type, 0, result::complete))
                .isEqualTo(OfferResult.ACCEPTED);
        result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void abortedBatchesAndTheStableOffsetComeFromThePipelinesTransactions() throws Exception {
        // Given a log opened with the unbound hints: nothing may be cleaned yet
        log = LogManager.open(LogManagerConfig.builder(dir).cleanerHints(hints).build());
        PartitionLog p = log.createTopic("t", 1, COMPACTED).partition(0);
        assertThat(hints.stableOffset("t", 0)).isZero();

        // When the pipeline runs: producer 3 commits (0-1, marker 2), producer 4 aborts (3-4, marker 5),
        // producer 5 stays open from 6
        pipeline = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir).ringSize(64).build());
        hints.bind(log, pipeline);
        assertThat(append(pipeline, p, txnBatch(3, 2)).error()).isEqualTo(AppendError.NONE);
        mark(p, 3, MarkerType.COMMIT);
        append(pipeline, p, txnBatch(4, 2));
        mark(p, 4, MarkerType.ABORT);
        append(pipeline, p, txnBatch(5, 1));

        // Then only producer 4's batch is aborted, the stable offset is the open transaction's start, markers stay
        assertThat(pipeline.transactions(p).abortedTransactions(0, 10)).containsExactly(new AbortedTransaction(4, 3, 5));
        assertThat(hints.isAborted("t", 0, 4, 3)).isTrue();
        assertThat(hints.isAborted("t", 0, 3, 0)).isFalse();
        assertThat(hints.isAborted("t", 0, 5, 6)).isFalse();
        assertThat(hints.isAborted("t", 0, 4, 6)).as("a later batch of the same producer").isFalse();
        assertThat(hints.stableOffset("t", 0)).isEqualTo(6);
        assertThat(hints.canRemoveMarker("t", 0, 5)).isFalse();
        assertThat(hints.stableOffset("no-such-topic", 0)).isZero();
    }
}
