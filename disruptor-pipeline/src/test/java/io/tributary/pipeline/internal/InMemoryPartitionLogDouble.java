package io.tributary.pipeline.internal;

import io.tributary.log.BatchVisitor;
import io.tributary.log.LogConfig;
import io.tributary.log.LogOfflineException;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.TimestampOffset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TEST DOUBLE: a partition kept in memory, for sequencing tests only (offset assignment, resync
 * after a failed write). It proves nothing about durability. It checks what the real log requires
 * (batches contiguous from the log end) and can be told to fail the next appends or fsyncs. Like
 * the real log, a failed fsync or cut-back takes it offline: {@link #offlineReason()} says so, and
 * append and flush throw {@link LogOfflineException} from then on (it does not log, as the real
 * log does).
 */
final class InMemoryPartitionLogDouble implements PartitionLog {
    private final String topic;
    private final LogConfig config;
    private final List<ByteBuffer> batches = new ArrayList<>();
    private volatile long logEnd;
    private volatile long highWatermark;
    private volatile int failNextAppends;
    private volatile int succeedBeforeFailing;
    private volatile int appendCalls;
    private volatile int failNextFlushes;
    private volatile boolean failNextCutBack;
    private volatile long flushes;
    private volatile long flushedEnd;
    private volatile String offlineReason;
    private volatile java.util.concurrent.CountDownLatch appendGate;

    InMemoryPartitionLogDouble(String topic, Map<String, String> overrides) {
        this.topic = topic;
        this.config = LogConfig.defaults().withOverrides(overrides);
    }

    void failNextAppends(int count) {
        failNextAppends = count;
    }

    /** The next append fails and so does its cut-back, which takes the partition offline. */
    void failNextAppendAndItsCutBack() {
        failNextCutBack = true;
        failNextAppends = 1;
    }

    private final java.util.concurrent.Semaphore heldAppends = new java.util.concurrent.Semaphore(0);

    /** The next append waits until {@code gate} opens, then proceeds (or fails, if so told meanwhile). */
    void holdNextAppend(java.util.concurrent.CountDownLatch gate) {
        appendGate = gate;
    }

    /** Waits until an append is being held at the gate set with {@link #holdNextAppend}. */
    void awaitHeldAppend() throws InterruptedException {
        if (!heldAppends.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("no append reached the gate");
        }
    }

    /** Lets the next {@code successes} appends through, then fails {@code failures} of them. */
    void failAppendsAfter(int successes, int failures) {
        succeedBeforeFailing = successes;
        failNextAppends = failures;
    }

    /** Calls to {@link #append} so far. */
    int appendCalls() {
        return appendCalls;
    }

    void failNextFlushes(int count) {
        failNextFlushes = count;
    }

    /** Takes the partition offline as the real log's background flusher does when its fsync fails. */
    void failBackgroundFlush() {
        goOffline("fsync", flushedEnd, new IOException("injected background fsync failure"));
    }

    private synchronized LogOfflineException goOffline(String operation, long offset, IOException cause) {
        if (offlineReason == null) {
            offlineReason = "partition " + topic + "-0 is offline since the " + operation + " at offset " + offset
                    + " failed (" + cause + "); restart the broker to recover it";
        }
        return new LogOfflineException(offlineReason, cause);
    }

    /** Copies of the stored batches, in offset order. */
    synchronized List<ByteBuffer> batches() {
        List<ByteBuffer> copy = new ArrayList<>();
        for (ByteBuffer b : batches) {
            copy.add(b.duplicate());
        }
        return copy;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public int partition() {
        return 0;
    }

    @Override
    public LogConfig config() {
        return config;
    }

    @Override
    public long logStartOffset() {
        return 0;
    }

    @Override
    public long logEndOffset() {
        return logEnd;
    }

    @Override
    public long highWatermark() {
        return highWatermark;
    }

    @Override
    public void highWatermark(long offset) {
        highWatermark = offset;
    }

    @Override
    public void append(ByteBuffer data) throws IOException {
        java.util.concurrent.CountDownLatch gate = appendGate;
        if (gate != null) {
            appendGate = null;
            heldAppends.release();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        appendNow(data);
    }

    private synchronized void appendNow(ByteBuffer data) throws IOException {
        appendCalls++;
        if (offlineReason != null) {
            throw new LogOfflineException(offlineReason, null);
        }
        if (succeedBeforeFailing > 0) {
            succeedBeforeFailing--;
        } else if (failNextAppends > 0) {
            failNextAppends--;
            IOException failure = new IOException("injected write failure");
            if (failNextCutBack) {
                failNextCutBack = false;
                throw goOffline("write and its cut-back", logEnd, failure);
            }
            throw failure;
        }
        RecordBatchHeader header = new RecordBatchHeader();
        int position = data.position();
        long expected = logEnd;
        while (position < data.limit()) {
            header.wrap(data, position);
            if (header.baseOffset() != expected) {
                throw new IllegalStateException("batch at " + header.baseOffset() + ", log end " + expected);
            }
            ByteBuffer copy = ByteBuffer.allocate(header.sizeInBytes());
            copy.put(data.duplicate().position(position).limit(position + header.sizeInBytes())).flip();
            batches.add(copy);
            expected = header.lastOffset() + 1;
            position += header.sizeInBytes();
        }
        data.position(data.limit());
        logEnd = expected;
    }

    @Override
    public synchronized void flush() throws IOException {
        if (offlineReason != null) {
            throw new LogOfflineException(offlineReason, null);
        }
        if (failNextFlushes > 0) {
            failNextFlushes--;
            throw goOffline("fsync", flushedEnd, new IOException("injected fsync failure"));
        }
        flushes++;
        flushedEnd = logEnd;
    }

    /** As {@link #flush()}: the double has no indexes. */
    @Override
    public void forceData() throws IOException {
        flush();
    }

    @Override
    public Optional<String> offlineReason() {
        return Optional.ofNullable(offlineReason);
    }

    @Override
    public long flushCount() {
        return flushes;
    }

    @Override
    public LogSlice read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) {
        throw new UnsupportedOperationException("test double");
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        throw new UnsupportedOperationException("test double");
    }

    @Override
    public synchronized void scanBatches(long fromOffset, BatchVisitor visitor) {
        RecordBatchHeader header = new RecordBatchHeader();
        for (ByteBuffer b : batches) {
            header.wrap(b, 0);
            if (header.baseOffset() >= fromOffset) {
                visitor.visit(header);
            }
        }
    }

    @Override
    public long sizeInBytes() {
        return batches.stream().mapToLong(ByteBuffer::remaining).sum();
    }
}
