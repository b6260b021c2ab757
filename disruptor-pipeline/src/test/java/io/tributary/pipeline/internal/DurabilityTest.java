package io.tributary.pipeline.internal;

import io.tributary.log.LogConfig;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.Durability;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.tributary.log.testing.TestBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Durability#FSYNC}: on an {@code async} topic (whose appends the journal never forces by itself) an FSYNC
 * append completes only after the partition was fsynced; a FLUSH_POLICY append completes without one. Over an
 * {@link InMemoryPartitionLogDouble}, which counts its fsyncs and has no background flusher.
 */
@Timeout(20)
class DurabilityTest {
    private static final Map<String, String> ASYNC = Map.of(LogConfig.FLUSH_POLICY, "async");

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

    /** The append's result and the partition's fsync count as the callback saw it. */
    private record Completion(AppendResult result, long flushesAtCompletion) {
    }

    private Completion append(InMemoryPartitionLogDouble log, ByteBuffer batches, Durability durability)
            throws Exception {
        CompletableFuture<Completion> done = new CompletableFuture<>();
        while (pipeline.offer(log, batches, durability, r -> done.complete(new Completion(r, log.flushCount())))
                != OfferResult.ACCEPTED) {
            LockSupport.parkNanos(50_000);
        }
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anFsyncAppendToAnAsyncTopicIsForcedBeforeItCompletes() throws Exception {
        // Given an async partition
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", ASYNC);

        // When an append asks for FSYNC
        Completion completion = append(log, batch().build(), Durability.FSYNC);

        // Then it succeeded and the partition had been fsynced when its callback ran
        assertThat(completion.result().error()).isEqualTo(AppendError.NONE);
        assertThat(completion.flushesAtCompletion()).isEqualTo(1);
    }

    @Test
    void aFlushPolicyAppendToAnAsyncTopicCompletesWithoutAnFsync() throws Exception {
        // Given an async partition
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", ASYNC);

        // When appends follow the flush policy (the default offer, and the explicit one)
        Completion explicit = append(log, batch().build(), Durability.FLUSH_POLICY);
        AppendResult byDefault = Offers.append(pipeline, log, batch().build());

        // Then both completed and the journal forced nothing
        assertThat(explicit.result().error()).isEqualTo(AppendError.NONE);
        assertThat(byDefault.error()).isEqualTo(AppendError.NONE);
        assertThat(explicit.flushesAtCompletion()).isZero();
        assertThat(log.flushCount()).isZero();
    }

    @Test
    void anFsyncAppendWhoseFsyncFailsFails() throws Exception {
        // Given an async partition whose next fsync fails
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", ASYNC);
        log.failNextFlushes(1);

        // When an append asks for FSYNC
        Completion completion = append(log, batch().build(), Durability.FSYNC);

        // Then it is not acknowledged as stored
        assertThat(completion.result().error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(completion.result().message()).contains("injected fsync failure");
    }
}
