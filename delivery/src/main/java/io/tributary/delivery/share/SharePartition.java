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
 * <p>Records due beyond the group's deferral horizon ({@code tributary.share.defer.horizon.ms}) leave the window
 * for a {@link DeferredIndex} of offset ranges, so the start moves past them; when due they are taken again into the
 * window if it still holds them, else into {@link DueRecords} below the start, and offered ahead of the window.
 *
 * <p>Thread-safe: every call takes this partition's monitor and does no I/O under it.
 */
public final class SharePartition {
    static final byte AVAILABLE = 0;
    static final byte ACQUIRED = 1;
    static final byte ACKNOWLEDGED = 2;
    static final byte ARCHIVED = 3;
    /** Waiting for its dead letter, cause not known (put back from a snapshot). */
    static final byte ARCHIVING = 4;
    /** Waiting for its dead letter: rejected by a member. */
    static final byte ARCHIVING_REJECTED = 5;
    /** Waiting for its dead letter: past the delivery-count limit. */
    static final byte ARCHIVING_LIMIT = 6;
    /** Waiting for its copy in the group's expiry topic: expired. */
    static final byte ARCHIVING_EXPIRED = 7;
    /** Left the window for the {@link DeferredIndex}: done as far as the start is concerned. */
    static final byte DEFERRED = -1;
    private static final RecordState[] STATES = RecordState.values();
    private static final byte HEAD = 1;
    private static final byte CHAINED = 2;

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
    private final WindowTraits traits;
    private final int[] heads = new int[RecordTraits.MAX_PRIORITY + 1];
    private ShareExtensions extensions = ShareExtensions.NONE;
    private byte[] marks;
    private KeyGate gate;
    private final DeferredIndex deferred;
    private final DueRecords due;
    /** Where the last read for due records below the start began; their traits are decoded from there. */
    private long dueReadFrom = Long.MAX_VALUE;

    SharePartition(long startOffset, int maxRecordLocks) {
        this.capacity = maxRecordLocks;
        this.state = new byte[capacity];
        this.deliveries = new short[capacity];
        this.owner = new String[capacity];
        this.deadline = new long[capacity];
        this.start = startOffset;
        this.end = startOffset;
        this.traits = new WindowTraits(capacity, startOffset);
        this.deferred = new DeferredIndex(capacity);
        this.due = new DueRecords(capacity);
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
        return nextAcquirableOffset(Long.MIN_VALUE);
    }

    /**
     * As {@link #nextAcquirableOffset()} at {@code nowMs}: deferred records due by then come first (their offset may
     * lie below the start).
     */
    public synchronized long nextAcquirableOffset(long nowMs) {
        promoteDue(nowMs);
        dueReadFrom = Long.MAX_VALUE;
        long below = due.firstAvailable(nowMs);
        if (due.room() > 0 && !deferred.isEmpty()) {
            long next = deferred.firstDue(nowMs, Long.MIN_VALUE, start - 1);
            if (next >= 0 && (below < 0 || next < below)) {
                below = next;
            }
        }
        if (below >= 0) {
            dueReadFrom = below;
            return below;
        }
        for (long offset = start; offset < end; offset++) {
            if (state[slot(offset)] == AVAILABLE) {
                return offset;
            }
        }
        return end - start < capacity ? end : -1;
    }

    /** As {@link #acquire(String, long, long, int, RecordFilter, RecordTraits, long, long)} with no traits. */
    public synchronized List<AcquiredRange> acquire(String member, long first, long last, int maxRecords,
                                                    RecordFilter filter, long nowMs, long lockMs) {
        return acquire(member, first, last, maxRecords, filter, RecordTraits.NONE, nowMs, lockMs);
    }

    /**
     * Acquires for {@code member} at most {@code maxRecords} available offsets in {@code [first, last]}, locking
     * each until {@code nowMs + lockMs}. Offsets at or past the end enter the window (while it has room) with
     * delivery count 0 and the traits {@code traits} lists for them; an acquired offset has its count raised
     * by one.
     *
     * <p>An available offset is acquirable when {@code filter} accepts it (one it refuses is archived when the
     * filter {@linkplain RecordFilter#archivesRefused archives refused records}), its deliver-at time (or retry
     * backoff) has come, and, with key affinity, no earlier unsettled record of its key is held by another
     * member or still waiting. An available offset whose expiry has passed is archived instead. When more are
     * acquirable than {@code maxRecords}, higher priorities go first and offset order within one.
     *
     * @return the acquired offsets as ranges of equal delivery count, in offset order; empty if none
     */
    public synchronized List<AcquiredRange> acquire(String member, long first, long last, int maxRecords,
                                                    RecordFilter filter, RecordTraits traits, long nowMs,
                                                    long lockMs) {
        if (maxRecords <= 0) {
            return List.of();
        }
        promoteDue(nowMs);
        List<AcquiredRange> below = List.of();
        if (first < start) {
            below = new ArrayList<>(2);
            long to = Math.min(last, start - 1);
            if (!deferred.isEmpty() && due.room() > 0) {
                deferred.takeDue(nowMs, first, to, due.room(),
                        (offset, count) -> due.add(offset, count, AVAILABLE, expiry(traits, offset)));
            }
            maxRecords -= due.acquire(member, first, to, maxRecords, filter, nowMs, nowMs + lockMs, expiredState(),
                    below);
            if (!below.isEmpty()) {
                earliestDeadline = Math.min(earliestDeadline, nowMs + lockMs);
            }
        }
        List<AcquiredRange> ranges = acquireInWindow(member, Math.max(first, start), last, maxRecords, filter, traits,
                nowMs, lockMs);
        if (below.isEmpty()) {
            return ranges;
        }
        below.addAll(ranges);
        return below;
    }

    private List<AcquiredRange> acquireInWindow(String member, long from, long last, int maxRecords,
                                                RecordFilter filter, RecordTraits traits, long nowMs, long lockMs) {
        if (from > end || maxRecords <= 0) {
            return List.of();
        }
        while (end <= last && end - start < capacity) {
            int s = slot(end);
            state[s] = !deferred.isEmpty() && deferred.contains(end) ? DEFERRED : AVAILABLE;
            deliveries[s] = 0;
            owner[s] = null;
            this.traits.clear(s);
            end++;
        }
        long to = Math.min(last, end - 1);
        if (from > to) {
            return List.of();
        }
        this.traits.load(traits, from, to, this::slot);
        defer(from, to, nowMs);
        int eligible = markAcquirable(member, from, to, filter, nowMs);
        List<AcquiredRange> ranges = eligible == 0 ? List.of() : take(member, from, to, maxRecords, eligible,
                nowMs + lockMs);
        advanceStart();
        return ranges;
    }

    /**
     * Moves the available records of {@code [from, to]} due beyond the group's deferral horizon to the
     * {@link DeferredIndex} (while it has room). With key affinity, keyed records stay: they hold their key's
     * later records back.
     */
    private void defer(long from, long to, long nowMs) {
        long horizon = extensions.deferHorizonMs();
        if (horizon < 0 || !traits.hasNotBefore()) {
            return;
        }
        long beyond = nowMs + horizon;
        boolean affinity = extensions.keyAffinity();
        for (long offset = from; offset <= to; offset++) {
            int s = slot(offset);
            long dueAt = Math.min(traits.notBefore(s), traits.expireAt(s));
            if (state[s] == AVAILABLE && dueAt > beyond && !(affinity && traits.keyed(s))
                    && deferred.add(offset, dueAt, deliveries[s])) {
                state[s] = DEFERRED;
            }
        }
    }

    /** Deferred records due at {@code nowMs} that the window still holds become available in it again. */
    private void promoteDue(long nowMs) {
        if (!deferred.isEmpty() && start < end) {
            deferred.takeDue(nowMs, start, end - 1, Integer.MAX_VALUE, (offset, count) -> {
                int s = slot(offset);
                if (state[s] == DEFERRED) {
                    state[s] = AVAILABLE;
                }
            });
        }
    }

    /** The expiry {@code traits} give {@code offset}, else never. */
    private static long expiry(RecordTraits traits, long offset) {
        int lo = 0;
        int hi = traits.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long o = traits.offset(mid);
            if (o == offset) {
                return traits.expireAt(mid);
            }
            if (o < offset) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return RecordTraits.NEVER;
    }

    /** What an expired record becomes: archived, or waiting for its copy when the group has an expiry topic. */
    private byte expiredState() {
        return extensions.expiryTopic() != null ? ARCHIVING_EXPIRED : ARCHIVED;
    }

    /**
     * Marks the acquirable offsets of {@code [from, to]} ({@link #HEAD}, or {@link #CHAINED} when an earlier
     * record of the same key is acquirable in this pass too), counts the heads per priority, archives expired
     * records; returns how many are acquirable.
     */
    private int markAcquirable(String member, long from, long to, RecordFilter filter, long nowMs) {
        if (marks == null) {
            marks = new byte[capacity];
        }
        boolean affinity = extensions.keyAffinity();
        if (affinity) {
            if (gate == null) {
                gate = new KeyGate(capacity);
            }
            gate.newPass();
            // a key held by another member anywhere in the window (a later record too, when an earlier one was
            // released) is closed to this one
            for (long offset = start; offset < end; offset++) {
                int s = slot(offset);
                if (state[s] == ACQUIRED && traits.keyed(s) && !member.equals(owner[s])) {
                    gate.set(traits.keyHash(s), KeyGate.BLOCKED);
                }
            }
        }
        Arrays.fill(heads, 0);
        int eligible = 0;
        for (long offset = affinity ? start : from; offset <= to; offset++) {
            int s = slot(offset);
            marks[s] = 0;
            byte st = state[s];
            if (st == ACKNOWLEDGED || st == ARCHIVED || st == DEFERRED) {
                continue;
            }
            if (st == AVAILABLE && traits.expireAt(s) <= nowMs) {
                settle(s, expiredState());
                continue;
            }
            boolean keyed = affinity && traits.keyed(s);
            if (st != AVAILABLE) {
                continue;
            }
            if (offset >= from && filter.archivesRefused() && !filter.accepts(offset, deliveries[s] + 1)) {
                settle(s, ARCHIVED);
                continue;
            }
            byte gateState = keyed ? gate.state(traits.keyHash(s)) : KeyGate.OPEN;
            if (offset < from || gateState == KeyGate.BLOCKED || traits.notBefore(s) > nowMs
                    || !filter.accepts(offset, deliveries[s] + 1)) {
                if (keyed) {
                    gate.set(traits.keyHash(s), KeyGate.BLOCKED);
                }
                continue;
            }
            if (gateState == KeyGate.PENDING) {
                marks[s] = CHAINED;
            } else {
                marks[s] = HEAD;
                heads[traits.priority(s)]++;
            }
            if (keyed) {
                gate.set(traits.keyHash(s), KeyGate.PENDING);
            }
            eligible++;
        }
        return eligible;
    }

    /**
     * Acquires the marked offsets of {@code [from, to]}: all of them when they fit in {@code maxRecords}, else
     * heads only (a chained record never overtakes its key's earlier one), by priority, in offset order within
     * one.
     */
    private List<AcquiredRange> take(String member, long from, long to, int maxRecords, int eligible,
                                     long lockUntil) {
        boolean all = eligible <= maxRecords;
        int threshold = -1;
        int quota = 0;
        if (!all) {
            int remaining = maxRecords;
            for (int p = RecordTraits.MAX_PRIORITY; p >= 0; p--) {
                if (heads[p] >= remaining) {
                    threshold = p;
                    quota = remaining;
                    break;
                }
                remaining -= heads[p];
            }
        }
        List<AcquiredRange> ranges = new ArrayList<>(2);
        long rangeFirst = -1;
        long rangeLast = -1;
        int rangeCount = 0;
        for (long offset = from; offset <= to; offset++) {
            int s = slot(offset);
            byte mark = marks[s];
            if (mark == 0) {
                continue;
            }
            if (!all) {
                if (mark == CHAINED) {
                    continue;
                }
                int p = traits.priority(s);
                if (p < threshold) {
                    continue;
                }
                if (p == threshold) {
                    if (quota == 0) {
                        continue;
                    }
                    quota--;
                }
            }
            state[s] = ACQUIRED;
            deliveries[s]++;
            owner[s] = member;
            deadline[s] = lockUntil;
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
            earliestDeadline = Math.min(earliestDeadline, lockUntil);
        }
        return ranges;
    }

    /**
     * The first offset that cannot enter the window now (its start plus its slots): a read for acquisition need
     * not go past it.
     */
    public synchronized long windowLimit() {
        return start + capacity;
    }

    /** The first offset whose record traits (headers) the window has not loaded yet. */
    public synchronized long traitsFrom() {
        return Math.min(traits.loadedUpTo(), dueReadFrom);
    }

    /** Applies a group's settings beyond Kafka's from now on. */
    synchronized void extensions(ShareExtensions value) {
        this.extensions = value;
    }

    synchronized ShareExtensions extensions() {
        return extensions;
    }

    /**
     * Applies {@code type} to {@code [first, last]} for {@code member}: all of the offsets or none, as
     * {@link #acknowledge(String, List, int, long, long)} of that one range.
     */
    public synchronized ShareError acknowledge(String member, long first, long last, AcknowledgeType type,
                                               int deliveryCountLimit, long nowMs, long lockMs) {
        return acknowledge(member, List.of(new Acknowledgement(first, last, type)), deliveryCountLimit, nowMs, lockMs);
    }

    /**
     * Applies {@code acknowledgements} for {@code member}: all of them or none, as Kafka 4.4's share partition
     * applies a request's batches of one partition (it validates them in order and rolls back the ones before a
     * refused one). Every offset of a range must be acquired by {@code member} (for {@link AcknowledgeType#GAP} too),
     * else {@link ShareError#INVALID_RECORD_STATE} and nothing changes. Every range is checked against the window
     * as it was before the call, so a range that starts on the offset the previous range settled (the Kafka wire
     * allows ranges to touch) is refused: that offset is no longer acquired (unless the previous range only renewed
     * its lock). Offsets below the start offset that hold no due record are already settled and skipped, as Kafka
     * 4.4 skips a batch wholly below its start offset and acknowledges a batch reaching across it from the start
     * offset on: a range wholly below the start changes nothing and refuses nothing. A range reaching past the
     * window's end is {@link ShareError#INVALID_REQUEST} while the window holds records, else INVALID_RECORD_STATE,
     * Kafka's two answers (past its last in-flight batch; no in-flight batch at all).
     *
     * @param acknowledgements in offset order, each starting no earlier than the previous one's last offset
     */
    public synchronized ShareError acknowledge(String member, List<Acknowledgement> acknowledgements,
                                               int deliveryCountLimit, long nowMs, long lockMs) {
        long[] from = new long[acknowledgements.size()];
        long settledUpTo = Long.MIN_VALUE;
        for (int i = 0; i < from.length; i++) {
            Acknowledgement a = acknowledgements.get(i);
            long first = a.firstOffset();
            long last = a.lastOffset();
            if (first > last) {
                return ShareError.INVALID_RECORD_STATE;
            }
            if (last >= end) {
                // Kafka: past the last in-flight record "is past acquired records" (INVALID_REQUEST); with none in
                // flight, "not found in the cache" (INVALID_RECORD_STATE)
                return start < end ? ShareError.INVALID_REQUEST : ShareError.INVALID_RECORD_STATE;
            }
            from[i] = first < start && !due.holdsAny(first, Math.min(last, start - 1)) ? start : first;
            if (from[i] > last) {
                continue;
            }
            if (from[i] <= settledUpTo || !heldBy(member, from[i], last)) {
                return ShareError.INVALID_RECORD_STATE;
            }
            if (a.type() != AcknowledgeType.RENEW) {
                settledUpTo = last;
            }
        }
        for (int i = 0; i < from.length; i++) {
            Acknowledgement a = acknowledgements.get(i);
            if (from[i] <= a.lastOffset()) {
                apply(from[i], a.lastOffset(), a.type(), deliveryCountLimit, nowMs, lockMs);
            }
        }
        advanceStart();
        return ShareError.NONE;
    }

    /** Whether {@code member} holds every offset of {@code [first, last]}: due ones below the start, the rest in the window. */
    private boolean heldBy(String member, long first, long last) {
        if (first < start && !due.heldBy(member, first, Math.min(last, start - 1))) {
            return false;
        }
        for (long offset = Math.max(first, start); offset <= last; offset++) {
            int s = slot(offset);
            if (state[s] != ACQUIRED || !member.equals(owner[s])) {
                return false;
            }
        }
        return true;
    }

    /** Applies {@code type} to {@code [first, last]}, every offset of which the acknowledging member holds. */
    private void apply(long first, long last, AcknowledgeType type, int deliveryCountLimit, long nowMs, long lockMs) {
        if (first < start) {
            due.acknowledge(first, Math.min(last, start - 1), type, outcomes(deliveryCountLimit), nowMs, lockMs);
        }
        for (long offset = Math.max(first, start); offset <= last; offset++) {
            int s = slot(offset);
            switch (type) {
                case ACCEPT -> settle(s, ACKNOWLEDGED);
                case REJECT -> settle(s, deadLettering ? ARCHIVING_REJECTED : ARCHIVED);
                case GAP -> settle(s, ARCHIVED);
                case RELEASE -> {
                    release(s, deliveryCountLimit);
                    backoff(s, nowMs);
                }
                case RENEW -> {
                    deadline[s] = nowMs + lockMs;
                    earliestDeadline = Math.min(earliestDeadline, deadline[s]);
                }
            }
        }
    }

    /** Releases every record {@code member} holds (it left or closed its session); returns how many. */
    public synchronized int releaseAll(String member, int deliveryCountLimit) {
        int released = due.isEmpty() ? 0 : due.releaseAll(member, outcomes(deliveryCountLimit));
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
        if (!due.isEmpty()) {
            expired += due.expireLocks(nowMs, outcomes(deliveryCountLimit));
            next = due.earliestDeadline();
        }
        for (long offset = start; offset < end; offset++) {
            int s = slot(offset);
            if (state[s] == ACQUIRED) {
                if (deadline[s] <= nowMs) {
                    release(s, deliveryCountLimit);
                    backoff(s, nowMs);
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
        traits.reset(offset);
        deferred.clear();
        due.clear();
        dueReadFrom = Long.MAX_VALUE;
    }

    /** Forgets the deferred and due records below {@code logStart}: retention deleted them. */
    public synchronized void dropBelow(long logStart) {
        if (!deferred.isEmpty()) {
            deferred.removeBelow(logStart);
        }
        if (!due.isEmpty() && due.lowest() < logStart) {
            due.dropBelow(logStart);
        }
    }

    /** How many ranges of far-future records the window has deferred (see {@link DeferredIndex}). */
    public synchronized int deferredRanges() {
        return deferred.size();
    }

    /** The outcomes of rejecting and releasing in this partition's group, for {@link DueRecords}. */
    private DueRecords.Outcomes outcomes(int deliveryCountLimit) {
        return new DueRecords.Outcomes() {
            @Override
            public byte rejected() {
                return deadLettering ? ARCHIVING_REJECTED : ARCHIVED;
            }

            @Override
            public byte released(int count) {
                return count < deliveryCountLimit ? AVAILABLE : deadLettering ? ARCHIVING_LIMIT : ARCHIVED;
            }

            @Override
            public long backoffMs(int count) {
                return extensions.backoffMs(count);
            }
        };
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
            byte st = state[s] == ACQUIRED ? AVAILABLE : state[s] == DEFERRED ? ARCHIVED : state[s];
            int count = deliveries[s];
            boolean trivial = st == AVAILABLE && count == 0;
            if (runFirst >= 0 && (trivial || st != runState || count != runCount)) {
                runs.add(run(runFirst, offset - 1, runState, runCount));
                runFirst = -1;
            }
            if (!trivial && runFirst < 0) {
                runFirst = offset;
                runState = st;
                runCount = count;
            }
        }
        if (runFirst >= 0) {
            runs.add(run(runFirst, end - 1, runState, runCount));
        }
        if (deferred.isEmpty() && due.isEmpty()) {
            return new ShareSnapshot(start, runs);
        }
        return new ShareSnapshot(start, runs, deferredSnapshot());
    }

    private static ShareSnapshot.Run run(long first, long last, byte st, int count) {
        return new ShareSnapshot.Run(first, last, publicState(st), count, st > ARCHIVING ? cause(st) : null);
    }

    /** The deferred ranges and the due records below the start (due at once, or waiting for a dead letter). */
    private List<ShareSnapshot.Deferred> deferredSnapshot() {
        List<ShareSnapshot.Deferred> list = new ArrayList<>();
        long[] pending = {-1, -1, 0, 0};
        due.forEach((offset, st, count) -> {
            long dueMs = st == AVAILABLE ? 0 : st == ARCHIVING ? -1 : -2 - cause(st).ordinal();
            if (pending[0] >= 0 && (pending[1] + 1 != offset || pending[2] != dueMs || pending[3] != count)) {
                list.add(new ShareSnapshot.Deferred(pending[0], pending[1], pending[2], (int) pending[3]));
                pending[0] = -1;
            }
            if (pending[0] < 0) {
                pending[0] = offset;
                pending[2] = dueMs;
                pending[3] = count;
            }
            pending[1] = offset;
        });
        if (pending[0] >= 0) {
            list.add(new ShareSnapshot.Deferred(pending[0], pending[1], pending[2], (int) pending[3]));
        }
        for (DeferredIndex.Range r : deferred.ranges()) {
            list.add(new ShareSnapshot.Deferred(r.firstOffset(), r.lastOffset(), r.dueMs(), r.deliveryCount()));
        }
        list.sort(java.util.Comparator.comparingLong(ShareSnapshot.Deferred::firstOffset));
        return list;
    }

    private static RecordState publicState(byte st) {
        return st == DEFERRED ? RecordState.AVAILABLE : STATES[Math.min(st, ARCHIVING)];
    }

    private static DeadLetter.Cause cause(byte st) {
        return switch (st) {
            case ARCHIVING_REJECTED -> DeadLetter.Cause.CLIENT_REJECT;
            case ARCHIVING_LIMIT -> DeadLetter.Cause.DELIVERY_COUNT_EXCEEDED;
            case ARCHIVING_EXPIRED -> DeadLetter.Cause.EXPIRED;
            default -> null;
        };
    }

    private static byte archivingState(DeadLetter.Cause cause) {
        if (cause == null) {
            return ARCHIVING;
        }
        return switch (cause) {
            case CLIENT_REJECT -> ARCHIVING_REJECTED;
            case DELIVERY_COUNT_EXCEEDED -> ARCHIVING_LIMIT;
            case EXPIRED -> ARCHIVING_EXPIRED;
        };
    }

    /** The dead letter of a record in state {@code st} (an ARCHIVING one) with {@code count} deliveries. */
    static DeadLetter letter(long offset, byte st, int count, int deliveryCountLimit) {
        DeadLetter.Cause cause = cause(st);
        if (cause == null) {
            cause = count >= deliveryCountLimit ? DeadLetter.Cause.DELIVERY_COUNT_EXCEEDED
                    : DeadLetter.Cause.CLIENT_REJECT;
        }
        return new DeadLetter(offset, count, cause);
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
                    partition.state[s] = run.state() == RecordState.ACQUIRED ? AVAILABLE
                            : run.state() == RecordState.ARCHIVING ? archivingState(run.cause())
                            : (byte) run.state().ordinal();
                    if (partition.state[s] >= ARCHIVING) {
                        partition.archiving++;
                    }
                    partition.deliveries[s] = (short) run.deliveryCount();
                    partition.end = offset + 1;
                }
            }
            partition.restoreDeferred(snapshot.deferred());
            partition.advanceStart();
            partition.traits.reset(partition.start);
        }
        return partition;
    }

    private void restoreDeferred(List<ShareSnapshot.Deferred> list) {
        for (ShareSnapshot.Deferred d : list) {
            if (d.dueMs() < 0) {
                byte st = d.dueMs() == -1 ? ARCHIVING : archivingState(DeadLetter.Cause.values()[(int) (-2 - d.dueMs())]);
                for (long offset = d.firstOffset(); offset <= d.lastOffset() && due.room() > 0; offset++) {
                    due.add(offset, d.deliveryCount(), st, RecordTraits.NEVER);
                }
                continue;
            }
            deferred.restore(new DeferredIndex.Range(d.firstOffset(), d.lastOffset(), d.dueMs(), d.deliveryCount()));
            for (long offset = Math.max(d.firstOffset(), start); offset <= d.lastOffset() && offset < end; offset++) {
                state[slot(offset)] = DEFERRED;
            }
        }
    }

    /**
     * The state of {@code offset}: below the start it is {@link RecordState#ACKNOWLEDGED} (or archived) unless it
     * is deferred or due (then its own state).
     */
    public synchronized RecordState state(long offset) {
        if (offset < start) {
            byte st = due.state(offset);
            if (st >= 0) {
                return publicState(st);
            }
            return deferred.contains(offset) ? RecordState.AVAILABLE : RecordState.ACKNOWLEDGED;
        }
        if (offset >= end) {
            return RecordState.AVAILABLE;
        }
        return publicState(state[slot(offset)]);
    }

    /** How often {@code offset} has been acquired; 0 outside the window. */
    public synchronized int deliveryCount(long offset) {
        if (offset < start) {
            return due.deliveryCount(offset);
        }
        return offset < end ? deliveries[slot(offset)] : 0;
    }

    /** Records currently acquired by any member. */
    public synchronized int acquiredCount() {
        int n = due.isEmpty() ? 0 : due.acquiredCount();
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

    /** A released record waits out its group's retry backoff before it is available again. */
    private void backoff(int s, long nowMs) {
        long wait = state[s] == AVAILABLE ? extensions.backoffMs(deliveries[s]) : 0;
        if (wait > 0) {
            traits.holdUntil(s, nowMs + wait);
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
        return archiving > 0 || due.archivingCount() > 0;
    }

    /**
     * The records waiting for their dead letter, in offset order, each with why: rejected, or past
     * {@code deliveryCountLimit} (for records put back from a snapshot, whose cause was not kept, decided as
     * Kafka does: by the delivery count). They stay ARCHIVING until {@link #finishArchiving}.
     */
    public synchronized List<DeadLetter> archiving(int deliveryCountLimit) {
        List<DeadLetter> letters = new ArrayList<>(Math.min(archiving + due.archivingCount(), 64));
        due.archiving(deliveryCountLimit, letters);
        int inWindow = 0;
        for (long offset = start; offset < end && inWindow < archiving; offset++) {
            int s = slot(offset);
            if (state[s] >= ARCHIVING) {
                letters.add(letter(offset, state[s], deliveries[s], deliveryCountLimit));
                inWindow++;
            }
        }
        return letters;
    }

    /** Archives those of {@code letters} that still wait for their dead letter (it was written, or given up). */
    public synchronized void finishArchiving(List<DeadLetter> letters) {
        for (DeadLetter letter : letters) {
            long offset = letter.offset();
            if (offset < start) {
                due.finishArchiving(offset);
            } else if (offset < end && state[slot(offset)] >= ARCHIVING) {
                state[slot(offset)] = ARCHIVED;
                archiving--;
            }
        }
        due.compact();
        advanceStart();
    }

    private void advanceStart() {
        while (start < end) {
            byte st = state[slot(start)];
            if (st != ACKNOWLEDGED && st != ARCHIVED && st != DEFERRED) {
                break;
            }
            start++;
        }
    }

    private int slot(long offset) {
        return (int) Math.floorMod(offset, (long) capacity);
    }
}
