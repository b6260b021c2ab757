package io.tributary.delivery.share;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The far-future records of one share partition, kept out of its window: ranges of consecutive offsets, each
 * due at one time, in offset order. A record whose deliver-at (or retry backoff) lies beyond the group's
 * deferral horizon leaves the window for this index, so the share-partition start can move past it and its slot
 * serves later records; when the range is due its records are read from the log again and acquired.
 *
 * <p>Records produced together with the same delay fall into one range: a record extends the range before it
 * when it follows that range's last offset, has the same delivery count, and is due in the same
 * {@link #BUCKET_MS} bucket (the range is then due at the latest of them, so a deferred record may come up to a
 * bucket late). At most {@code maxRanges} ranges: {@link #add} refuses more, and the record stays in the window.
 *
 * <p>Not thread-safe: guarded by its partition's monitor.
 */
final class DeferredIndex {
    /** Records due within one bucket share a range. */
    static final long BUCKET_MS = 1_000;

    private final int maxRanges;
    private long[] first = new long[8];
    private long[] last = new long[8];
    private long[] due = new long[8];
    private short[] count = new short[8];
    private int size;

    DeferredIndex(int maxRanges) {
        this.maxRanges = maxRanges;
    }

    /** One deferred range, for snapshots. */
    record Range(long firstOffset, long lastOffset, long dueMs, int deliveryCount) {
    }

    /** Receives the offsets {@link #takeDue} removes. */
    @FunctionalInterface
    interface Sink {
        void take(long offset, int deliveryCount);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Whether {@code offset} is deferred. */
    boolean contains(long offset) {
        int i = floor(offset);
        return i >= 0 && offset <= last[i];
    }

    /**
     * Defers {@code offset} (not deferred yet) until {@code dueMs}; false when the index is full and it would need a
     * range of its own.
     */
    boolean add(long offset, long dueMs, int deliveryCount) {
        int i = floor(offset);
        if (i >= 0 && last[i] + 1 == offset && count[i] == deliveryCount
                && Math.floorDiv(due[i], BUCKET_MS) == Math.floorDiv(dueMs, BUCKET_MS)
                && (i + 1 == size || first[i + 1] > offset)) {
            last[i] = offset;
            due[i] = Math.max(due[i], dueMs);
            return true;
        }
        if (size >= maxRanges) {
            return false;
        }
        insert(i + 1, offset, offset, dueMs, deliveryCount);
        return true;
    }

    /** Puts back a range of a snapshot (ranges come in offset order and do not overlap). */
    void restore(Range range) {
        insert(size, range.firstOffset(), range.lastOffset(), range.dueMs(), range.deliveryCount());
    }

    /** The lowest offset in {@code [from, to]} of a range due at {@code nowMs}, or -1. */
    long firstDue(long nowMs, long from, long to) {
        for (int i = 0; i < size && first[i] <= to; i++) {
            if (due[i] <= nowMs && last[i] >= from) {
                return Math.max(first[i], from);
            }
        }
        return -1;
    }

    /**
     * Removes at most {@code limit} offsets of {@code [from, to]} in ranges due at {@code nowMs}, lowest first, and
     * hands each to {@code sink}; returns how many.
     */
    int takeDue(long nowMs, long from, long to, int limit, Sink sink) {
        int taken = 0;
        int i = 0;
        while (i < size && first[i] <= to && taken < limit) {
            if (due[i] > nowMs || last[i] < from) {
                i++;
                continue;
            }
            long a = Math.max(first[i], from);
            long b = Math.min(Math.min(last[i], to), a + (limit - taken) - 1);
            for (long offset = a; offset <= b; offset++) {
                sink.take(offset, count[i]);
            }
            taken += (int) (b - a + 1);
            i = cut(i, a, b);
        }
        return taken;
    }

    /** Forgets every offset below {@code offset} (retention deleted them). */
    void removeBelow(long offset) {
        int keep = 0;
        for (int i = 0; i < size; i++) {
            if (last[i] < offset) {
                continue;
            }
            first[keep] = Math.max(first[i], offset);
            last[keep] = last[i];
            due[keep] = due[i];
            count[keep] = count[i];
            keep++;
        }
        size = keep;
    }

    void clear() {
        size = 0;
    }

    /** The ranges, in offset order. */
    List<Range> ranges() {
        List<Range> ranges = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ranges.add(new Range(first[i], last[i], due[i], count[i]));
        }
        return ranges;
    }

    /** Removes {@code [a, b]} from range {@code i}; returns the index of the first range after the cut. */
    private int cut(int i, long a, long b) {
        if (a == first[i] && b == last[i]) {
            System.arraycopy(first, i + 1, first, i, size - i - 1);
            System.arraycopy(last, i + 1, last, i, size - i - 1);
            System.arraycopy(due, i + 1, due, i, size - i - 1);
            System.arraycopy(count, i + 1, count, i, size - i - 1);
            size--;
            return i;
        }
        if (a == first[i]) {
            first[i] = b + 1;
            return i + 1;
        }
        if (b == last[i]) {
            last[i] = a - 1;
            return i + 1;
        }
        // a split may take the index one past maxRanges: the bound is for new records, not for taking them out
        insert(i + 1, b + 1, last[i], due[i], count[i]);
        last[i] = a - 1;
        return i + 2;
    }

    /** The index of the last range starting at or below {@code offset}, or -1. */
    private int floor(long offset) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (first[mid] <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private void insert(int at, long a, long b, long dueMs, int deliveryCount) {
        if (size == first.length) {
            int grown = size * 2;
            first = Arrays.copyOf(first, grown);
            last = Arrays.copyOf(last, grown);
            due = Arrays.copyOf(due, grown);
            count = Arrays.copyOf(count, grown);
        }
        System.arraycopy(first, at, first, at + 1, size - at);
        System.arraycopy(last, at, last, at + 1, size - at);
        System.arraycopy(due, at, due, at + 1, size - at);
        System.arraycopy(count, at, count, at + 1, size - at);
        first[at] = a;
        last[at] = b;
        due[at] = dueMs;
        count[at] = (short) deliveryCount;
        size++;
    }
}
