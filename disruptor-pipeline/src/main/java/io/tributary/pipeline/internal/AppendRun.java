package io.tributary.pipeline.internal;

import io.tributary.log.PartitionLog;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive ring events for one partition whose offsets follow each other, gathered so the
 * journal writes them with one {@link PartitionLog#append} call instead of one per event: fewer
 * system calls when many small appends arrive together, which is exactly when group commit is busy.
 *
 * <p>The first event's bytes are not copied; only when a second one joins are both copied into a
 * staging buffer of {@link #capacity} bytes. A run therefore costs nothing extra for a lone event.
 * Owned by the journal thread.
 */
final class AppendRun {
    private final ByteBuffer staging;
    private final List<IngestEvent> events = new ArrayList<>();
    private PartitionLog partition;
    private long nextOffset;

    AppendRun(int capacity) {
        this.staging = ByteBuffer.allocateDirect(capacity);
    }

    int capacity() {
        return staging.capacity();
    }

    boolean isEmpty() {
        return events.isEmpty();
    }

    PartitionLog partition() {
        return partition;
    }

    /** Events in the run, in offset order; valid until {@link #clear()}. */
    List<IngestEvent> events() {
        return events;
    }

    /** True when {@code event} continues this run and its bytes fit. */
    boolean canExtend(IngestEvent event) {
        return !events.isEmpty()
                && event.partition == partition
                && event.baseOffset == nextOffset
                && staging.position() + pendingFirstBytes() + event.batches.remaining() <= staging.capacity();
    }

    /** Starts a run with {@code event}; the run must be empty. */
    void start(IngestEvent event) {
        partition = event.partition;
        events.add(event);
        nextOffset = event.lastOffset + 1;
    }

    /** Adds an event for which {@link #canExtend} was true. */
    void extend(IngestEvent event) {
        if (events.size() == 1) {
            staging.put(events.get(0).batches.duplicate());
        }
        staging.put(event.batches.duplicate());
        events.add(event);
        nextOffset = event.lastOffset + 1;
    }

    /** The bytes to append: the lone event's own buffer, or the staging buffer holding all of them. */
    ByteBuffer bytes() {
        if (events.size() == 1) {
            return events.get(0).batches;
        }
        return staging.flip();
    }

    void clear() {
        events.clear();
        staging.clear();
        partition = null;
    }

    private int pendingFirstBytes() {
        return events.size() == 1 ? events.get(0).batches.remaining() : 0;
    }
}
