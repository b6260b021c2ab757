package io.tributary.delivery.share;

import java.util.Arrays;
import java.util.List;

/**
 * The deferred records of a share partition that came due below its window's start (see {@link DeferredIndex}):
 * a small sorted set of offsets, each with the window's per-record state (available, acquired by a member until a
 * deadline, or waiting for its dead letter or expiry copy) and delivery count. Records leave it once acknowledged
 * or archived. At most {@code capacity} records (the group's {@code share.partition.max.record.locks}), allocated
 * the first time one comes due.
 *
 * <p>Priority and key affinity do not apply here: due records are offered ahead of the window, lowest offset
 * first. Not thread-safe: guarded by its partition's monitor.
 */
final class DueRecords {
    private final int capacity;
    private long[] offsets;
    private byte[] state;
    private short[] deliveries;
    private String[] owner;
    private long[] deadline;
    private long[] notBefore;
    private long[] expireAt;
    private int size;
    private int archiving;

    DueRecords(int capacity) {
        this.capacity = capacity;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int room() {
        return capacity - size;
    }

    int archivingCount() {
        return archiving;
    }

    /** The lowest offset held, or {@link Long#MAX_VALUE}. */
    long lowest() {
        return size == 0 ? Long.MAX_VALUE : offsets[0];
    }

    /** Takes {@code offset} in (not held yet) in state {@code st}, with {@code count} deliveries behind it. */
    void add(long offset, int count, byte st, long expiresAt) {
        if (offsets == null) {
            offsets = new long[capacity];
            state = new byte[capacity];
            deliveries = new short[capacity];
            owner = new String[capacity];
            deadline = new long[capacity];
            notBefore = new long[capacity];
            expireAt = new long[capacity];
        }
        int at = position(offset);
        if (at < 0) {
            at = -at - 1;
        }
        int n = size - at;
        System.arraycopy(offsets, at, offsets, at + 1, n);
        System.arraycopy(state, at, state, at + 1, n);
        System.arraycopy(deliveries, at, deliveries, at + 1, n);
        System.arraycopy(owner, at, owner, at + 1, n);
        System.arraycopy(deadline, at, deadline, at + 1, n);
        System.arraycopy(notBefore, at, notBefore, at + 1, n);
        System.arraycopy(expireAt, at, expireAt, at + 1, n);
        offsets[at] = offset;
        state[at] = st;
        deliveries[at] = (short) count;
        owner[at] = null;
        deadline[at] = 0;
        notBefore[at] = 0;
        expireAt[at] = expiresAt;
        if (st >= SharePartition.ARCHIVING) {
            archiving++;
        }
        size++;
    }

    /** The lowest offset available at {@code nowMs}, or -1. */
    long firstAvailable(long nowMs) {
        for (int i = 0; i < size; i++) {
            if (state[i] == SharePartition.AVAILABLE && notBefore[i] <= nowMs) {
                return offsets[i];
            }
        }
        return -1;
    }

    /**
     * Acquires for {@code member} at most {@code maxRecords} available records of {@code [first, last]}, appending
     * their ranges to {@code ranges}; a record whose expiry passed goes to {@code expired} instead. Returns how many
     * were acquired.
     */
    int acquire(String member, long first, long last, int maxRecords, RecordFilter filter, long nowMs,
                long lockUntil, byte expired, List<AcquiredRange> ranges) {
        int taken = 0;
        long rangeFirst = -1;
        long rangeLast = -1;
        int rangeCount = 0;
        for (int i = Math.max(0, lowerBound(first)); i < size && offsets[i] <= last && taken < maxRecords; i++) {
            if (state[i] != SharePartition.AVAILABLE) {
                continue;
            }
            if (expireAt[i] <= nowMs) {
                settle(i, expired);
                continue;
            }
            if (notBefore[i] > nowMs || !filter.accepts(offsets[i], deliveries[i] + 1)) {
                continue;
            }
            state[i] = SharePartition.ACQUIRED;
            deliveries[i]++;
            owner[i] = member;
            deadline[i] = lockUntil;
            taken++;
            if (rangeFirst >= 0 && (offsets[i] != rangeLast + 1 || deliveries[i] != rangeCount)) {
                ranges.add(new AcquiredRange(rangeFirst, rangeLast, rangeCount));
                rangeFirst = -1;
            }
            if (rangeFirst < 0) {
                rangeFirst = offsets[i];
                rangeCount = deliveries[i];
            }
            rangeLast = offsets[i];
        }
        if (rangeFirst >= 0) {
            ranges.add(new AcquiredRange(rangeFirst, rangeLast, rangeCount));
        }
        compact();
        return taken;
    }

    /** Whether every offset of {@code [first, last]} is held here, acquired by {@code member}. */
    boolean heldBy(String member, long first, long last) {
        int i = position(first);
        if (i < 0) {
            return false;
        }
        for (long offset = first; offset <= last; offset++, i++) {
            if (i >= size || offsets[i] != offset || state[i] != SharePartition.ACQUIRED
                    || !member.equals(owner[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether any offset of {@code [first, last]} is held here, in whatever state. */
    boolean holdsAny(long first, long last) {
        int i = lowerBound(first);
        return i < size && offsets[i] <= last;
    }

    /** Applies {@code type} to {@code [first, last]}, which {@link #heldBy} the acknowledging member. */
    void acknowledge(long first, long last, AcknowledgeType type, Outcomes outcomes, long nowMs, long lockMs) {
        for (int i = position(first); i < size && offsets[i] <= last; i++) {
            switch (type) {
                case ACCEPT -> settle(i, SharePartition.ACKNOWLEDGED);
                case REJECT -> settle(i, outcomes.rejected());
                case GAP -> settle(i, SharePartition.ARCHIVED);
                case RELEASE -> release(i, outcomes, nowMs);
                case RENEW -> deadline[i] = nowMs + lockMs;
            }
        }
        compact();
    }

    /** Releases what {@code member} holds; returns how many. */
    int releaseAll(String member, Outcomes outcomes) {
        int released = 0;
        for (int i = 0; i < size; i++) {
            if (state[i] == SharePartition.ACQUIRED && member.equals(owner[i])) {
                release(i, outcomes, -1);
                released++;
            }
        }
        compact();
        return released;
    }

    /** Releases the records whose lock expired at {@code nowMs}; returns how many. */
    int expireLocks(long nowMs, Outcomes outcomes) {
        int expired = 0;
        for (int i = 0; i < size; i++) {
            if (state[i] == SharePartition.ACQUIRED && deadline[i] <= nowMs) {
                release(i, outcomes, nowMs);
                expired++;
            }
        }
        compact();
        return expired;
    }

    /** The earliest lock deadline, or {@link Long#MAX_VALUE}. */
    long earliestDeadline() {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            if (state[i] == SharePartition.ACQUIRED) {
                next = Math.min(next, deadline[i]);
            }
        }
        return next;
    }

    /** Appends the records waiting for a dead letter or expiry copy to {@code letters}, as the window does. */
    void archiving(int deliveryCountLimit, List<DeadLetter> letters) {
        for (int i = 0; i < size; i++) {
            if (state[i] >= SharePartition.ARCHIVING) {
                letters.add(SharePartition.letter(offsets[i], state[i], deliveries[i], deliveryCountLimit));
            }
        }
    }

    /** Archives {@code offset} if it waits for its dead letter. */
    void finishArchiving(long offset) {
        int i = position(offset);
        if (i >= 0 && state[i] >= SharePartition.ARCHIVING) {
            settle(i, SharePartition.ARCHIVED);
        }
    }

    /** Drops the records that are done. */
    void compact() {
        int keep = 0;
        for (int i = 0; i < size; i++) {
            if (state[i] == SharePartition.ACKNOWLEDGED || state[i] == SharePartition.ARCHIVED) {
                continue;
            }
            offsets[keep] = offsets[i];
            state[keep] = state[i];
            deliveries[keep] = deliveries[i];
            owner[keep] = owner[i];
            deadline[keep] = deadline[i];
            notBefore[keep] = notBefore[i];
            expireAt[keep] = expireAt[i];
            keep++;
        }
        if (keep < size) {
            Arrays.fill(owner, keep, size, null);
        }
        size = keep;
    }

    /** Archives every record below {@code offset} (retention deleted it; a member holding one can no longer ack it). */
    void dropBelow(long offset) {
        for (int i = 0; i < size && offsets[i] < offset; i++) {
            settle(i, SharePartition.ARCHIVED);
        }
        compact();
    }

    void clear() {
        if (owner != null) {
            Arrays.fill(owner, null);
        }
        size = 0;
        archiving = 0;
    }

    int acquiredCount() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (state[i] == SharePartition.ACQUIRED) {
                n++;
            }
        }
        return n;
    }

    /** The state byte of {@code offset}, or -1 when it is not held here. */
    byte state(long offset) {
        int i = position(offset);
        return i < 0 ? -1 : state[i];
    }

    int deliveryCount(long offset) {
        int i = position(offset);
        return i < 0 ? 0 : deliveries[i];
    }

    /**
     * Calls {@code sink} for each record not done yet, in offset order: with its state (acquired ones as available,
     * as snapshots keep them) and delivery count.
     */
    void forEach(Visitor sink) {
        for (int i = 0; i < size; i++) {
            if (state[i] == SharePartition.ACKNOWLEDGED || state[i] == SharePartition.ARCHIVED) {
                continue;
            }
            sink.visit(offsets[i], state[i] == SharePartition.ACQUIRED ? SharePartition.AVAILABLE : state[i],
                    deliveries[i]);
        }
    }

    @FunctionalInterface
    interface Visitor {
        void visit(long offset, byte state, int deliveryCount);
    }

    /** What rejecting and releasing lead to in the partition's group. */
    interface Outcomes {
        /** The state of a rejected record. */
        byte rejected();

        /** The state of a released record with {@code deliveries}. */
        byte released(int deliveries);

        /** How long a record released after {@code deliveries} waits. */
        long backoffMs(int deliveries);
    }

    private void release(int i, Outcomes outcomes, long nowMs) {
        owner[i] = null;
        byte to = outcomes.released(deliveries[i]);
        settle(i, to);
        if (to == SharePartition.AVAILABLE && nowMs >= 0) {
            notBefore[i] = nowMs + outcomes.backoffMs(deliveries[i]);
        }
    }

    private void settle(int i, byte to) {
        if (state[i] >= SharePartition.ARCHIVING) {
            archiving--;
        }
        owner[i] = null;
        state[i] = to;
        if (to >= SharePartition.ARCHIVING) {
            archiving++;
        }
    }

    /** The index of {@code offset}, or {@code -(insertion point) - 1}. */
    private int position(long offset) {
        return offsets == null ? -1 : Arrays.binarySearch(offsets, 0, size, offset);
    }

    private int lowerBound(long offset) {
        int p = position(offset);
        return p >= 0 ? p : -p - 1;
    }
}
