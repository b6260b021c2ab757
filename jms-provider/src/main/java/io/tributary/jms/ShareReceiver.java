package io.tributary.jms;

import jakarta.jms.Message;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.header.Header;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The receiving half of a queue receiver or shared-subscription consumer: up to {@link #MAX_MEMBERS} members of
 * the share group, each a {@link KafkaShareConsumer} in explicit acknowledgement mode, with the records each
 * fetched and has not yet handed out. Not thread-safe: its consumer calls it under its own lock.
 *
 * <p>Explicit mode lets a member poll again only once every record of its previous poll is acknowledged. A
 * receiver that holds delivered records unsettled (a transaction, CLIENT_ACKNOWLEDGE) and wants more therefore
 * polls another member: one that is free, else a new one while fewer than {@link #MAX_MEMBERS} exist. Each member
 * is a member of the group as any {@code KafkaShareConsumer} is, so the broker's record locks, delivery counts
 * and lock-expiry redelivery apply to its records unchanged.
 *
 * <p>A receiver whose session settles each record as it hands it out (AUTO_ACKNOWLEDGE, DUPS_OK) is never short of
 * a free member; it opens {@code ahead} more instead, which fetch in the background while the current poll is
 * handed out ({@link #fetchAhead}), and it sends its acknowledgements in batches ({@link #settle}).
 *
 * <pre>
 *   member.fetched (its last poll, highest JMS priority first) ──next()──> member.delivered
 *        ^                                                                    │ settle(ACCEPT | RELEASE)
 *        └── poll() of a free member: one whose last poll is all settled <────┘
 * </pre>
 *
 * <p>A member whose poll returned nothing goes on fetching in the background (kafka-clients keeps its fetch
 * armed until records come), so the records it acquires wait in its client until it is polled again. A member can
 * also end up with records acquired behind those its last poll returned (a fetch armed while that poll's response
 * was arriving). So when the buffers are empty, every free member is polled: the one armed longest (else the one
 * polled least recently) waits for up to the receive's time slice, the others are polled first without waiting.
 * Polling only the armed ones would leave a member's records acquired behind its last poll in its client, while the
 * receiver waits on an armed member, until their locks expire and the broker delivers them again. The broker wakes
 * every armed fetch when records arrive and the first to run takes them, so the wait is cut into slices
 * ({@link #MIN_WAIT_SLICE_MS} doubling up to {@link #MAX_WAIT_SLICE_MS}) between which the other armed members are
 * polled without waiting: records taken by a member the receiver is not waiting on are handed out within a slice,
 * not when the waited-on member's poll ends (decision 0044).
 *
 * <p>A poll's records are handed out highest {@code tributary.priority} first, in fetch order within a priority,
 * except that a record never overtakes an earlier one with the same key (key affinity keeps per-key order).
 */
final class ShareReceiver {
    /** Most members one receiver opens: a transaction can hold this many polls' records unsettled. */
    static final int MAX_MEMBERS = 8;
    private static final int MAX_PRIORITY = 9;
    /** Longest an acknowledgement settled without waiting stays in the client while more records are handed out. */
    static final long ASYNC_FLUSH_MS = 20;
    /** First slice of a wait on one member while others are armed too; each further slice is twice as long. */
    static final long MIN_WAIT_SLICE_MS = 1;
    /** Longest slice of such a wait: a record another armed member took waits at most this long once idle. */
    static final long MAX_WAIT_SLICE_MS = 32;
    private static final long ASYNC_FLUSH_NANOS = ASYNC_FLUSH_MS * 1_000_000;
    private static final Comparator<Fetched> HIGHER_PRIORITY_FIRST =
            Comparator.comparingInt((Fetched f) -> -f.priority).thenComparingInt(f -> f.order);

    private final Supplier<ShareConsumer<byte[], byte[]>> newMember;
    private final int ahead;
    private final List<Member> members = new ArrayList<>();
    /** Members whose {@code fetched} is not empty, in the order they polled. */
    private final ArrayDeque<Member> ready = new ArrayDeque<>();
    /** The member whose record {@link #next} returned last. */
    private Member current;
    private long polls;
    /** The first receive-no-wait waits for a fetch's answer ({@link #nextAfterFirstFetch}). */
    private final FirstFetchWait firstFetch = new FirstFetchWait();

    private static final class Member {
        final ShareConsumer<byte[], byte[]> share;
        final ArrayDeque<ConsumerRecord<byte[], byte[]>> fetched = new ArrayDeque<>();
        final List<ConsumerRecord<byte[], byte[]>> delivered = new ArrayList<>();
        /** Records of its last poll not yet settled (fetched or delivered). */
        int unsettled;
        /** Its last poll returned nothing, so its fetch is still armed. */
        boolean armed;
        long lastPoll;
        /** When the acknowledgements held back now were first held back ({@link System#nanoTime}). */
        long heldSince;
        /** Acknowledged records whose acknowledgements were held back. */
        boolean unsent;

        Member(ShareConsumer<byte[], byte[]> share) {
            this.share = share;
        }
    }

    private record Fetched(ConsumerRecord<byte[], byte[]> record, int priority, int order) {
    }

    /**
     * Opens the first member now, so that a bad configuration or subscription fails the consumer's creation.
     *
     * @param ahead how many further members fetch ahead while a poll's records are handed out: 1 for a receiver
     *              whose session settles each record as it hands it out (AUTO_ACKNOWLEDGE, DUPS_OK), else 0
     */
    ShareReceiver(Supplier<ShareConsumer<byte[], byte[]>> newMember, int ahead) {
        this.newMember = newMember;
        this.ahead = ahead;
        members.add(new Member(newMember.get()));
    }

    /**
     * The next record fetched, polling members as the class describes if none is; {@code null} if nothing came
     * within {@code pollMs}, or if every member holds unsettled records and no other may be opened (then after
     * waiting {@code pollMs}, so that a receive loop does not spin). The record is delivered: it stays unsettled
     * until {@link #settle} or {@link #reject}.
     */
    ConsumerRecord<byte[], byte[]> next(long pollMs) throws InterruptedException {
        flushDue();
        if (ready.isEmpty()) {
            fill(pollMs);
        }
        Member m = ready.peek();
        if (m == null) {
            return null;
        }
        ConsumerRecord<byte[], byte[]> record = m.fetched.poll();
        if (m.fetched.isEmpty()) {
            ready.poll();
        }
        m.delivered.add(record);
        current = m;
        if (ahead > 0 && ready.size() <= 1) {
            fetchAhead();
        }
        return record;
    }

    /**
     * {@link #next}{@code (0)}, except on a receiver no fetch has been answered for yet: that one waits until the
     * first fetch answers (with records, or without when the broker has none for it), at most {@code capMs}. So a
     * receive-no-wait on a receiver created a moment ago returns a message the queue holds, as a client that asks
     * the broker when its buffer is empty does (Artemis), while later calls never wait: by then the members' fetches
     * are armed and bring new records into the client as they arrive.
     *
     * <p>Whether a fetch was answered is read from the members' metrics ({@link FetchMetrics}).
     */
    ConsumerRecord<byte[], byte[]> nextAfterFirstFetch(long capMs) throws InterruptedException {
        return firstFetch.next(capMs, this::fetchAnswered, this::next);
    }

    private boolean fetchAnswered() {
        for (Member m : members) {
            if (FetchMetrics.answered(m.share.metrics())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Has a free member fetch in the background while this poll's records are handed out, unless one already
     * does: when they are all handed out, the next poll finds records waiting instead of a fetch round trip.
     */
    private void fetchAhead() {
        Member idle = null;
        for (Member m : members) {
            if (m.unsettled == 0 && !ready.contains(m)) {
                if (m.armed) {
                    return;
                }
                idle = m;
            }
        }
        if (idle == null && members.size() <= ahead) {
            idle = new Member(newMember.get());
            members.add(idle);
        }
        if (idle != null) {
            poll(idle, 0);
        }
    }

    private void fill(long pollMs) throws InterruptedException {
        // wait on the member whose fetch has been armed longest, else on the free one polled least recently
        Member next = null;
        for (Member m : members) {
            if (m.unsettled == 0 && (next == null || m.armed && !next.armed
                    || m.armed == next.armed && m.lastPoll < next.lastPoll)) {
                next = m;
            }
        }
        for (Member m : members) {
            // not only armed members: one whose last poll brought records may hold more acquired behind them
            if (m != next && m.unsettled == 0) {
                poll(m, 0);
            }
        }
        if (!ready.isEmpty()) {
            return;
        }
        if (next == null && members.size() < MAX_MEMBERS) {
            next = new Member(newMember.get());
            members.add(next);
        }
        if (next == null) {
            if (pollMs > 0) {
                Thread.sleep(pollMs);
            }
            return;
        }
        await(next, pollMs);
    }

    /**
     * Polls {@code next} for up to {@code pollMs}; while another free member is armed as well, in slices between
     * which the others are polled without waiting, so that records whichever armed member took are handed out.
     */
    private void await(Member next, long pollMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pollMs);
        long slice = MIN_WAIT_SLICE_MS;
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            boolean othersArmed = false;
            for (Member m : members) {
                othersArmed |= m != next && m.unsettled == 0 && m.armed;
            }
            if (!othersArmed || left <= slice) {
                poll(next, Math.max(0, left));
                return;
            }
            poll(next, slice);
            if (!ready.isEmpty()) {
                return;
            }
            for (Member m : members) {
                if (m != next && m.unsettled == 0 && m.armed) {
                    poll(m, 0);
                }
            }
            if (!ready.isEmpty()) {
                return;
            }
            slice = Math.min(slice * 2, MAX_WAIT_SLICE_MS);
        }
    }

    /**
     * Polls the first member without waiting, unless its last poll brought records (it has joined then), so that it
     * joins the share group now rather than at the first receive (a share consumer joins when polled, and reports a
     * refused join at a later poll); what a poll brings is handed out by {@link #next}.
     */
    void join() {
        Member first = members.get(0);
        if (first.unsettled == 0) {
            poll(first, 0);
        }
    }

    /** Rejects the record {@link #next} returned last (it is archived), e.g. one that has expired. */
    void reject(ConsumerRecord<byte[], byte[]> record) {
        current.delivered.remove(current.delivered.size() - 1);
        current.share.acknowledge(record, AcknowledgeType.REJECT);
        current.unsettled--;
    }

    /** Releases the record {@link #next} returned last (another member may take it), sent to the broker at once. */
    void release(ConsumerRecord<byte[], byte[]> record) {
        current.delivered.remove(current.delivered.size() - 1);
        current.share.acknowledge(record, AcknowledgeType.RELEASE);
        current.unsettled--;
        current.share.commitAsync();
    }

    /** Whether records were delivered and not yet settled. */
    boolean holdsDelivered() {
        for (Member m : members) {
            if (!m.delivered.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Acknowledges every delivered record with {@code type}, member by member; {@code sync} waits for the broker
     * and throws the first error it reports for a partition. Without {@code sync} the acknowledgements are held
     * back while the member still has fetched records to hand out, and sent once {@link #ASYNC_FLUSH_MS} old
     * ({@link #flushDue}) or by the member's next poll: one request, and one wake-up of the client's network
     * thread, per batch instead of per record. When the member's poll is all handed out they are sent at once if
     * another member is armed or holds fetched records (that one serves the next receive, and its fetch carries no
     * acknowledgements whose durable write the broker would answer after); otherwise this member is the next one
     * polled, and its ShareFetch carries them: a ShareAcknowledge sent first would hold that fetch back in
     * kafka-clients until it is answered (decision 0044).
     */
    void settle(AcknowledgeType type, boolean sync) {
        long now = 0;
        for (Member m : members) {
            if (m.delivered.isEmpty()) {
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> r : m.delivered) {
                m.share.acknowledge(r, type);
            }
            m.unsettled -= m.delivered.size();
            m.delivered.clear();
            if (sync) {
                m.share.commitSync().forEach((tp, error) -> {
                    if (error.isPresent()) {
                        throw error.get();
                    }
                });
                continue;
            }
            if (m.fetched.isEmpty() && anotherServes(m)) {
                m.share.commitAsync();
                m.unsent = false;
            } else if (!m.unsent) {
                if (now == 0) {
                    now = System.nanoTime();
                }
                m.unsent = true;
                m.heldSince = now;
            }
        }
    }

    /** Whether a member other than {@code m} holds fetched records or has its fetch armed. */
    private boolean anotherServes(Member m) {
        for (Member other : members) {
            if (other != m && (!other.fetched.isEmpty() || other.unsettled == 0 && other.armed)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends acknowledgements {@link #settle} held back, once they are {@link #ASYNC_FLUSH_MS} old. {@link #next} calls
     * it; a receiver whose application stops calling {@link #next} needs another caller (its consumer's timer), or
     * what it held back stays in the client until the broker's record locks expire and the broker delivers those
     * records again.
     *
     * @return whether acknowledgements are still held back (not yet due)
     */
    boolean flushDue() {
        long now = 0;
        boolean held = false;
        for (Member m : members) {
            if (m.unsent) {
                if (now == 0) {
                    now = System.nanoTime();
                }
                if (now - m.heldSince >= ASYNC_FLUSH_NANOS) {
                    m.share.commitAsync();
                    m.unsent = false;
                } else {
                    held = true;
                }
            }
        }
        return held;
    }

    /** Whether {@link #settle} held acknowledgements back that have not been sent since. */
    boolean holdsBack() {
        for (Member m : members) {
            if (m.unsent) {
                return true;
            }
        }
        return false;
    }

    /** Interrupts a poll under way (from another thread). */
    void wakeup() {
        for (Member m : members) {
            m.share.wakeup();
        }
    }

    /** Releases what is delivered and what is fetched, then closes every member (leaving the share group). */
    void close(Duration timeout) {
        RuntimeException failure = null;
        ready.clear();
        for (Member m : members) {
            try {
                for (ConsumerRecord<byte[], byte[]> r : m.delivered) {
                    m.share.acknowledge(r, AcknowledgeType.RELEASE);
                }
                for (ConsumerRecord<byte[], byte[]> r : m.fetched) {
                    m.share.acknowledge(r, AcknowledgeType.RELEASE);
                }
                m.delivered.clear();
                m.fetched.clear();
                m.share.close(timeout);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void poll(Member m, long pollMs) {
        ConsumerRecords<byte[], byte[]> records = m.share.poll(Duration.ofMillis(pollMs));
        m.unsent = false; // the poll sent them
        m.lastPoll = ++polls;
        m.unsettled = records.count();
        m.armed = records.isEmpty();
        if (records.isEmpty()) {
            return;
        }
        ready.add(m);
        int[] priorities = null;
        int i = 0;
        Map<KeyRef, Integer> keyCeiling = null;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            int priority = priority(r);
            if (r.key() != null) {
                // a record never overtakes an earlier one of its key: it sorts no higher than that one
                if (keyCeiling == null) {
                    keyCeiling = new HashMap<>();
                }
                KeyRef key = new KeyRef(r.topic(), r.partition(), ByteBuffer.wrap(r.key()));
                Integer ceiling = keyCeiling.get(key);
                if (ceiling != null && ceiling < priority) {
                    priority = ceiling;
                }
                keyCeiling.put(key, priority);
            }
            if (priority != Message.DEFAULT_PRIORITY && priorities == null) {
                priorities = new int[records.count()];
                Arrays.fill(priorities, 0, i, Message.DEFAULT_PRIORITY);
            }
            if (priorities != null) {
                priorities[i] = priority;
            }
            i++;
        }
        if (priorities == null) {
            records.forEach(m.fetched::add);
            return;
        }
        List<Fetched> sorted = new ArrayList<>(records.count());
        i = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            sorted.add(new Fetched(r, priorities[i], i));
            i++;
        }
        sorted.sort(HIGHER_PRIORITY_FIRST);
        for (Fetched f : sorted) {
            m.fetched.add(f.record);
        }
    }

    /**
     * The record's JMS priority as the delivery engine reads it: header {@code tributary.priority}, a decimal
     * clamped to 0..9; the default 4 without one (or with one that is not a decimal number).
     */
    static int priority(ConsumerRecord<byte[], byte[]> record) {
        Header h = record.headers().lastHeader(MessageCodec.BROKER_PRIORITY);
        byte[] v = h == null ? null : h.value();
        if (v == null || v.length == 0) {
            return Message.DEFAULT_PRIORITY;
        }
        boolean negative = v[0] == '-';
        int start = negative ? 1 : 0;
        if (start == v.length) {
            return Message.DEFAULT_PRIORITY;
        }
        int value = 0;
        for (int k = start; k < v.length; k++) {
            if (v[k] < '0' || v[k] > '9') {
                return Message.DEFAULT_PRIORITY;
            }
            value = Math.min(10, value * 10 + (v[k] - '0'));
        }
        return negative ? 0 : Math.min(value, MAX_PRIORITY);
    }

    private record KeyRef(String topic, int partition, ByteBuffer key) {
    }
}
