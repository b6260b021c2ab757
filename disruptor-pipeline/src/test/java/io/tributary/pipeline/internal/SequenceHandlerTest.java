package io.tributary.pipeline.internal;

import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.Map;

import static io.tributary.log.testing.TestBatches.batch;
import static io.tributary.pipeline.internal.Offers.append;
import static org.assertj.core.api.Assertions.assertThat;

/** What the sequence stage keeps per partition, and when it lets go of it. */
@Timeout(20)
class SequenceHandlerTest {
    private static final long COLLECT_WITHIN_MS = 5_000;

    @TempDir
    Path stateDir;

    private IngestPipeline pipeline;

    @BeforeEach
    void start() {
        pipeline = IngestPipeline.start(Offers.noTopics(), PipelineConfig.builder().stateDir(stateDir).ringSize(64)
                .build());
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void deletedPartitionsProducerStateIsDropped() throws Exception {
        // Given a partition an idempotent producer wrote to, which is then deleted
        WeakReference<PartitionLog> deleted = new WeakReference<>(deletedAfterAnIdempotentAppend());

        // When the pipeline sequences its next append, to another partition
        InMemoryPartitionLogDouble other = new InMemoryPartitionLogDouble("other", Map.of());
        assertThat(append(pipeline, other, batch().build()).error()).isEqualTo(AppendError.NONE);

        // Then nothing in the pipeline holds on to the deleted partition
        assertThat(collected(deleted)).as("deleted partition garbage collected").isTrue();
    }

    private PartitionLog deletedAfterAnIdempotentAppend() throws Exception {
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("gone", Map.of());
        assertThat(append(pipeline, log, batch().producer(5, 0, 0).build()).error()).isEqualTo(AppendError.NONE);
        pipeline.partitionDeleted(log);
        return log;
    }

    private static boolean collected(WeakReference<?> reference) throws InterruptedException {
        long deadline = System.nanoTime() + COLLECT_WITHIN_MS * 1_000_000L;
        while (reference.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        return reference.get() == null;
    }
}
