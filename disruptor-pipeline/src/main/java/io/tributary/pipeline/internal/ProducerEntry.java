package io.tributary.pipeline.internal;

/**
 * What one partition remembers of one idempotent producer: its epoch and the last
 * {@value #CACHED_BATCHES} batches it wrote (sequence range, offset range, timestamp), so that a
 * retried batch is recognised and answered with its original offsets instead of being written twice.
 * The cache holds batches of the current epoch only; a new epoch empties it.
 *
 * <p>Owned by the sequence stage's thread; not thread-safe.
 */
final class ProducerEntry {
    /** As in Kafka: the producer keeps at most five batches in flight per partition. */
    static final int CACHED_BATCHES = 5;

    private final int[] firstSeq = new int[CACHED_BATCHES];
    private final int[] lastSeq = new int[CACHED_BATCHES];
    private final long[] baseOffset = new long[CACHED_BATCHES];
    private final long[] lastOffset = new long[CACHED_BATCHES];
    private final long[] timestamp = new long[CACHED_BATCHES];
    /** Slot of the newest batch; older ones precede it, circularly. */
    private int newest = -1;
    private int count;
    private short epoch;
    private long lastActivityMs;

    short epoch() {
        return epoch;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Last sequence of the newest cached batch; only meaningful when not {@link #isEmpty()}. */
    int lastSeq() {
        return lastSeq[newest];
    }

    long lastActivityMs() {
        return lastActivityMs;
    }

    void touch(long nowMs) {
        lastActivityMs = nowMs;
    }

    /** Cache slot of the batch with exactly this epoch and sequence range, or -1. */
    int findDuplicate(short batchEpoch, int batchFirstSeq, int batchLastSeq) {
        if (batchEpoch != epoch) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            int slot = slotBack(i);
            if (firstSeq[slot] == batchFirstSeq && lastSeq[slot] == batchLastSeq) {
                return slot;
            }
        }
        return -1;
    }

    long baseOffset(int slot) {
        return baseOffset[slot];
    }

    long lastOffset(int slot) {
        return lastOffset[slot];
    }

    long timestamp(int slot) {
        return timestamp[slot];
    }

    /** Records a written batch; a different epoch first forgets the previous epoch's batches. */
    void addBatch(short batchEpoch, int batchFirstSeq, int batchLastSeq, long batchBaseOffset, long batchLastOffset,
                  long batchTimestamp) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            count = 0;
        }
        newest = (newest + 1) % CACHED_BATCHES;
        firstSeq[newest] = batchFirstSeq;
        lastSeq[newest] = batchLastSeq;
        baseOffset[newest] = batchBaseOffset;
        lastOffset[newest] = batchLastOffset;
        timestamp[newest] = batchTimestamp;
        count = Math.min(count + 1, CACHED_BATCHES);
    }

    /**
     * Forgets the batches at or past {@code offset} (they were not written after all). Returns true
     * when nothing is left, in which case the caller drops the whole entry.
     */
    boolean truncateFrom(long offset) {
        while (count > 0 && lastOffset[newest] >= offset) {
            newest = (newest + CACHED_BATCHES - 1) % CACHED_BATCHES;
            count--;
        }
        return count == 0;
    }

    /** Number of cached batches, at most {@value #CACHED_BATCHES}. */
    int batchCount() {
        return count;
    }

    /** Cache slot of the batch {@code age} batches older than the newest (0 is the newest). */
    int slotOfAge(int age) {
        return slotBack(age);
    }

    int firstSeq(int slot) {
        return firstSeq[slot];
    }

    int lastSeq(int slot) {
        return lastSeq[slot];
    }

    /**
     * Forgets the oldest batches whose base offset is below {@code logStartOffset}, which a scan of
     * the log from its start would not have seen. Returns true when nothing is left.
     */
    boolean forgetBefore(long logStartOffset) {
        while (count > 0 && baseOffset[slotBack(count - 1)] < logStartOffset) {
            count--;
        }
        return count == 0;
    }

    private int slotBack(int age) {
        return (newest - age + CACHED_BATCHES) % CACHED_BATCHES;
    }

    /** Kafka's sequence arithmetic: sequences wrap from {@link Integer#MAX_VALUE} to 0. */
    static int lastSequence(int baseSequence, int lastOffsetDelta) {
        if (baseSequence > Integer.MAX_VALUE - lastOffsetDelta) {
            return lastOffsetDelta - (Integer.MAX_VALUE - baseSequence) - 1;
        }
        return baseSequence + lastOffsetDelta;
    }

    /** True when {@code nextSeq} directly follows {@code lastSeq}, wrapping after {@link Integer#MAX_VALUE}. */
    static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }
}
