package io.tributary.pipeline.internal;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Test helpers: offer with retry on back-pressure, wait for a result. */
final class Offers {
    private Offers() {
    }

    /** Offers until accepted (retrying on back-pressure) and returns the callback's future. */
    static CompletableFuture<AppendResult> offer(IngestPipeline pipeline, PartitionLog partition, ByteBuffer batches) {
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        while (true) {
            OfferResult offer = pipeline.offer(partition, batches, result::complete);
            if (offer == OfferResult.ACCEPTED) {
                return result;
            }
            if (offer == OfferResult.CLOSED) {
                throw new IllegalStateException("pipeline closed");
            }
            LockSupport.parkNanos(50_000);
        }
    }

    /** Offers and waits (at most 10 s) for the result. */
    static AppendResult append(IngestPipeline pipeline, PartitionLog partition, ByteBuffer batches) throws Exception {
        return offer(pipeline, partition, batches).get(10, TimeUnit.SECONDS);
    }

    /**
     * Waits (at most 30 s) until the sequence stage has numbered every append offered so far, e.g. those queued
     * behind a write held in the journal, which a test lets go only once they are numbered.
     */
    static void awaitSequenced(IngestPipeline pipeline) throws InterruptedException {
        DisruptorIngestPipeline ring = (DisruptorIngestPipeline) pipeline;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ring.sequencedAllPublished() && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        if (!ring.sequencedAllPublished()) {
            throw new AssertionError("the sequence stage did not number the appends offered within 30 s");
        }
    }

    /** A log with no topics, for tests over {@link InMemoryPartitionLogDouble}s the pipeline meets lazily. */
    static LogManager noTopics() {
        return new LogManager() {
            @Override
            public Topic createTopic(String name, int partitions, Map<String, String> configOverrides) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean deleteTopic(String name) {
                return false;
            }

            @Override
            public Optional<Topic> topic(String name) {
                return Optional.empty();
            }

            @Override
            public Collection<Topic> topics() {
                return List.of();
            }

            @Override
            public LogConfig defaultConfig() {
                return LogConfig.defaults();
            }

            @Override
            public Path directory() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
    }
}
