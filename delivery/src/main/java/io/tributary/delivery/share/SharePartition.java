package io.tributary.delivery.share;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The in-flight window of one (share group, partition): the delivery state of every offset from the
 * share-partition start offset (SPSO, everything below it is acknowledged or archived) up to the end
 * offset (SPEO, exclusive: the first offset never acquired). Offsets at and above the end are the
 * backlog and cost nothing here.
 *
 * <pre>
 *   log:    ... acked ... | SPSO                      SPEO | backlog ... high watermark
 *   window:               | ACK AVL ACQ(m1) ACQ(m2) ARC AVL |
 *                         '---- at most maxRecordLocks ----'
 * </pre>
 *
 * <p>The window is a ring of {@code maxRecordLocks} slots (state, delivery count, owner, lock deadline),
 * so its memory is fixed when the partition is created, whatever the backlog. The start advances past
 * leading acknowledged and archived offsets after every change.
 *
 * <p>Thread-safe: every call takes this partition's monitor and does no I/O under it.
 */
public final class SharePartition {
    private static final byte AVAILABLE = 0;
    private static final byte ACQUIRED = 1;
    private static final byte ACKNOWLEDGED = 2;
    private static final byte ARCHIVED = 3;
    /** Waiting for its dead letter, cause not known (put back from a snapshot). */
    private static final byte ARCHIVING = 4;
    /** Waiting for its dead letter: rejected by a member. */
    private static final byte ARCHIVING_REJECTED = 5;
    /** Waiting for its dead letter: past the delivery-count limit. */
    private static final byte ARCHIVING_LIMIT = 6;
    private static final RecordState[] STATES = RecordState.values();

    private final int capacity;
    private final byte[] state;
    private final short[] deliveries;
    private final String[] owner;
    private final long[] deadline;
    private long start;
    private long end;
    private long earliestDeadline = Long.MAX_VALUE;
    /** Whether rejected and over-limit records go ARCHIVING (the group has a dead-letter topic). */
    private boolean deadLettering;
    private int archiving;

    SharePartition(long startOffset, int maxRecordLocks) {
        this.capacity = maxRecordLocks;
        this.state = new byte[capacity];
        this.deliveries = new short[capacity];
        this.owner = new String[capacity];
        this.deadline = new long[capacity];
        this.start = startOffset;
        this.end = startOffset;
    }

    /** The share-partition start offset: every offset below it is acknowledged or archived. */
    public synchronized long startOffset() {
        return start;
    }

    /** The first offset never acquired. */
    public synchronized long endOffset() {
        return end;
    }

    /**
     * Where a read for new acquisitions should begin: the lowest available offset in the window, or the
     * end when none is, or -1 when nothing can be acquired because the window is full of locked records.
     */
    public synchronized long nextAcquirableOffset() {
        for (long offset = start; offset < end; offset++) {
            if (state[slot(offset)] == AVAILABLE) {
                return offset;
            }
        }
        return end - start < capacity ? end : -1;
    }

    /**
     * Acquires for {@code member} the available offsets in {@code [first, last]} that {@code filter}
     * accepts, at most {@code maxRecords} of them, locking each until {@code nowMs + lockMs}. Offsets
     * at or past the end enter the window (while it has room) with delivery count 1; others have their
     * count raised by one.
     *
     * @return the acquired offsets as ranges of equal delivery count, in offset order; empty if none
     */
    public synchronized List<AcquiredRange> acquire(String member, long first, long last, int maxRecords,
                                                    RecordFilter filter, long nowMs, long lockMs) {
        List<AcquiredRange> ranges = new ArrayList<>(2);
        long lockUntil = nowMs + lockMs;
        int acquired = 0;
        long rangeFirst = -1;
        long rangeLast = -1;
        int rangeCount = 0;
        for (long offset = Math.max(first, start); offset <= last && acquired < maxRecords; offset++) {
            if (offset >= end) {
                if (offset > end || end - start >= capacity) {
                    break;
                }
                int s = slot(offset);
                state[s] = AVAILABLE;
                deliveries[s] = 0;
                owner[s] = null;
                end++;
            }
            int s = slot(offset);
            if (state[s] != AVAILABLE || !filter.accepts(offset)) {
                continue;
            }
            state[s] = ACQUIRED;
            deliveries[s]++;
            owner[s] = member;
            deadline[s] = lockUntil;
            acquired++;
            if (rangeFirst >= 0 && (offset != rangeLast + 1 || deliveries[s] != rangeCount)) {
                ranges.add(new AcquiredRange(rangeFirst, rangeLast, rangeCount));
                rangeFirst = -1;
            }
            if (rangeFirst < 0) {
                rangeFirst = offset;
                rangeCount = deliveries[s];
            }
            rangeLast = offset;
        }
        if (rangeFirst >= 0) {
            ranges.add(new AcquiredRange(rangeFirst, rangeLast, rangeCount));
        }
        if (acquired > 0) {
            earliestDeadline = Math.min(earliestDeadline, lockUntil);
        }
        return ranges;
    }

    /**
     * Applies {@code type} to {@code [first, last]} for {@code member}: all of the offsets or none. Every
     * offset must be acquired by {@code member} (for {@link AcknowledgeType#GAP} too), else
     * {@link ShareError#INVALID_RECORD_STATE} and nothing changes.
     */
    public synchronized ShareError acknowledge(String member, long first, long last, AcknowledgeType type,
                                               int deliveryCountLimit, long nowMs, long lockMs) {
        if (first > last || first < start || last >= end) {
            return ShareError.INVALID_RECORD_STATE;
        }
        for (long offset = first; offset <= last; offset++) {
            int s = slot(offset);
            if (state[s] != ACQUIRED || !member.equals(owner[s])) {
                return ShareError.INVALID_RECORD_STATE;
            }
        }
        for (long offset = first; offset <= last; offset++) {
            int s = slot(offset);
            switch (type) {
                case ACCEPT -> settle(s, ACKNOWLEDGED);
                case REJECT -> settle(s, deadLettering ? ARCHIVING_REJECTED : ARCHIVED);
                case GAP -> settle(s, ARCHIVED);
                case RELEASE -> release(s, deliveryCountLimit);
                case RENEW -> {
                    deadline[s] = nowMs + lockMs;
                    earliestDeadline = Math.min(earliestDeadline, deadline[s]);
                }
            }
        }
        advanceStart();
        return ShareError.NONE;
    }

    /** Releases every record {@code member} holds (it left or closed its session); returns how many. */
    public synchronized int releaseAll(String member, int deliveryCountLimit) {
        int released = 0;
        for (long offset = start; offset < end; offset++) {
            int s = slot(offset);
            if (state[s] == ACQUIRED && member.equals(owner[s])) {
                release(s, deliveryCountLimit);
                released++;
            }
        }
        advanceStart();
        return released;
    }

    /** Releases every record whose lock expired at {@code nowMs}; returns how many. */
    public synchronized int expireLocks(long nowMs, int deliveryCountLimit) {
        if (nowMs < earliestDeadline) {
            return 0;
        }
        int expired = 0;
        long next = Long.MAX_VALUE;
        for (long offset = start; offset < end; offset++) {
            int s = slot(offset);
            if (state[s] == ACQUIRED) {
                if (deadline[s] <= nowMs) {
                    release(s, deliveryCountLimit);
                    expired++;
                } else {
                    next = Math.min(next, deadline[s]);
                }
            }
        }
        earliestDeadline = next;
        advanceStart();
        return expired;
    }

    /**
     * Moves the start to {@code offset}: offsets below it are forgotten (as if acknowledged), offsets
     * from it on become available with no deliveries. For admin resets and for a log start that
     * retention moved past the window.
     */
    public synchronized void reset(long offset) {
        archiving = 0;
        Arrays.fill(state, AVAILABLE);
        Arrays.fill(deliveries, (short) 0);
        Arrays.fill(owner, null);
        start = offset;
        end = offset;
        earliestDeadline = Long.MAX_VALUE;
    }

    /**
     * The durable part of the window (see {@link ShareSnapshot}): acquired records as available with their
     * delivery count, since a lock does not survive a restart.
     */
    public synchronized ShareSnapshot snapshot() {
        List<ShareSnapshot.Run> runs = new ArrayList<>();
        long runFirst = -1;
        byte runState = AVAILABLE;
        int runCount = 0;
        for (long offset = start; offset < end; offset++) {
            int s = slot(offset);
            byte st = state[s] == ACQUIRED ? AVAILABLE : state[s] >= ARCHIVING ? ARCHIVING : state[s];
            int count = deliveries[s];
            boolean trivial = st == AVAILABLE && count == 0;
            if (runFirst >= 0 && (trivial || st != runState || count != runCount)) {
                runs.add(new ShareSnapshot.Run(runFirst, offset - 1, STATES[runState], runCount));
                runFirst = -1;
            }
            if (!trivial && runFirst < 0) {
                runFirst = offset;
                runState = st;
                runCount = count;
            }
        }
        if (runFirst >= 0) {
            runs.add(new ShareSnapshot.Run(runFirst, end - 1, STATES[runState], runCount));
        }
        return new ShareSnapshot(start, runs);
    }

    /** A share partition as {@code snapshot} left it, with {@code maxRecordLocks} slots. */
    static SharePartition restore(ShareSnapshot snapshot, int maxRecordLocks) {
        SharePartition partition = new SharePartition(snapshot.startOffset(), maxRecordLocks);
        synchronized (partition) {
            for (ShareSnapshot.Run run : snapshot.runs()) {
                long first = Math.max(run.firstOffset(), partition.start);
                for (long offset = partition.end; offset < first && partition.end - partition.start < maxRecordLocks;
                     offset++) {
                    partition.end++;
                }
                for (long offset = first; offset <= run.lastOffset()
                        && offset - partition.start < maxRecordLocks; offset++) {
                    int s = partition.slot(offset);
                    partition.state[s] = run.state() == RecordState.ACQUIRED ? AVAILABLE : (byte) run.state().ordinal();
                    if (partition.state[s] == ARCHIVING) {
                        partition.archiving++;
                    }
                    partition.deliveries[s] = (short) run.deliveryCount();
                    partition.end = offset + 1;
                }
            }
            partition.advanceStart();
        }
        return partition;
    }

    /** The state of {@code offset}: below the start it is {@link RecordState#ACKNOWLEDGED} (or archived). */
    public synchronized RecordState state(long offset) {
        if (offset < start) {
            return RecordState.ACKNOWLEDGED;
        }
        if (offset >= end) {
            return RecordState.AVAILABLE;
        }
        return STATES[Math.min(state[slot(offset)], ARCHIVING)];
    }

    /** How often {@code offset} has been acquired; 0 outside the window. */
    public synchronized int deliveryCount(long offset) {
        return offset >= start && offset < end ? deliveries[slot(offset)] : 0;
    }

    /** Records currently acquired by any member. */
    public synchronized int acquiredCount() {
        int n = 0;
        for (long offset = start; offset < end; offset++) {
            if (state[slot(offset)] == ACQUIRED) {
                n++;
            }
        }
        return n;
    }

    private void release(int s, int deliveryCountLimit) {
        owner[s] = null;
        state[s] = deliveries[s] < deliveryCountLimit ? AVAILABLE : deadLettering ? ARCHIVING_LIMIT : ARCHIVED;
        if (state[s] == ARCHIVING_LIMIT) {
            archiving++;
        }
    }

    private void settle(int s, byte to) {
        owner[s] = null;
        state[s] = to;
        if (to >= ARCHIVING) {
            archiving++;
        }
    }

    /**
     * Whether records rejected or past the delivery-count limit from now on wait for a dead letter
     * ({@link RecordState#ARCHIVING}) instead of being archived at once.
     */
    public synchronized void deadLettering(boolean value) {
        deadLettering = value;
    }

    /** Whether some records wait for their dead letter. */
    public synchronized boolean hasArchiving() {
        return archiving > 0;
    }

    /**
     * The records waiting for their dead letter, in offset order, each with why: rejected, or past
     * {@code deliveryCountLimit} (for records put back from a snapshot, whose cause was not kept, decided as
     * Kafka does: by the delivery count). They stay ARCHIVING until {@link #finishArchiving}.
     */
    public synchronized List<DeadLetter> archiving(int deliveryCountLimit) {
        List<DeadLetter> letters = new ArrayList<>(Math.min(archiving, 64));
        for (long offset = start; offset < end && letters.size() < archiving; offset++) {
            int s = slot(offset);
            byte st = state[s];
            if (st >= ARCHIVING) {
                boolean limit = st == ARCHIVING_LIMIT || (st == ARCHIVING && deliveries[s] >= deliveryCountLimit);
                letters.add(new DeadLetter(offset, deliveries[s],
                        limit ? DeadLetter.Cause.DELIVERY_COUNT_EXCEEDED : DeadLetter.Cause.CLIENT_REJECT));
            }
        }
        return letters;
    }

    /** Archives those of {@code letters} that still wait for their dead letter (it was written, or given up). */
    public synchronized void finishArchiving(List<DeadLetter> letters) {
        for (DeadLetter letter : letters) {
            long offset = letter.offset();
            if (offset >= start && offset < end && state[slot(offset)] >= ARCHIVING) {
                state[slot(offset)] = ARCHIVED;
                archiving--;
            }
        }
        advanceStart();
    }

    private void advanceStart() {
        while (start < end) {
            byte st = state[slot(start)];
            if (st != ACKNOWLEDGED && st != ARCHIVED) {
                break;
            }
            start++;
        }
    }

    private int slot(long offset) {
        return (int) Math.floorMod(offset, (long) capacity);
    }
}
