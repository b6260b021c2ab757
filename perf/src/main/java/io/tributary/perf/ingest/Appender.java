package io.tributary.perf.ingest;

import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AppendCallback;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;

import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * One benchmark client: keeps up to {@code window} appends in flight on one partition, retrying an
 * offer after a short pause when the pipeline answers {@link OfferResult#BACK_PRESSURED}, until its
 * deadline or append count is reached, then waits for its last appends.
 *
 * <p>Its batches are {@code window} preallocated buffers used in turn: callbacks of one appender
 * complete in offer order, so when a window permit comes back the oldest buffer is free again.
 * Counters are written only by the pipeline's commit thread (in the callback) and read after
 * {@link #run()} has drained the window.
 */
final class Appender implements Runnable, AppendCallback {
    private final IngestPipeline pipeline;
    private final PartitionLog partition;
    private final ByteBuffer[] buffers;
    private final Semaphore window;
    private final long deadlineNanos;
    private final long maxAppends;
    private long completed;
    private long failed;
    private long backPressured;

    Appender(IngestPipeline pipeline, PartitionLog partition, int window, int batchBytes, long deadlineNanos,
             long maxAppends) {
        this.pipeline = pipeline;
        this.partition = partition;
        this.buffers = new ByteBuffer[window];
        for (int i = 0; i < window; i++) {
            buffers[i] = BenchmarkBatch.of(batchBytes);
        }
        this.window = new Semaphore(window);
        this.deadlineNanos = deadlineNanos;
        this.maxAppends = maxAppends;
    }

    @Override
    public void run() {
        int slot = 0;
        for (long sent = 0; sent < maxAppends && System.nanoTime() < deadlineNanos; sent++) {
            window.acquireUninterruptibly();
            ByteBuffer batch = buffers[slot];
            batch.clear();
            slot = (slot + 1) % buffers.length;
            OfferResult result;
            while ((result = pipeline.offer(partition, batch, this)) == OfferResult.BACK_PRESSURED) {
                backPressured++;
                LockSupport.parkNanos(20_000);
            }
            if (result == OfferResult.CLOSED) {
                window.release();
                break;
            }
        }
        window.acquireUninterruptibly(buffers.length);
    }

    @Override
    public void onComplete(AppendResult result) {
        if (result.error() == AppendError.NONE) {
            completed++;
        } else {
            failed++;
        }
        window.release();
    }

    long completed() {
        return completed;
    }

    long failed() {
        return failed;
    }

    long backPressured() {
        return backPressured;
    }
}
