package io.tributary.kafka.share;

import io.tributary.delivery.share.RecordFilter;
import io.tributary.jms.selector.Selector;
import org.apache.kafka.common.record.internal.Record;

import java.util.BitSet;

/**
 * The offsets of one read that a member's selector accepts, evaluated while the records are decoded (on the read
 * executor) and handed to the engine as its {@link RecordFilter}, so the partition's lock is held for a bit test
 * per record, not for a selector evaluation. Offsets outside {@code [from, to]} are not accepted.
 *
 * <p>A selector that names {@code JMSXDeliveryCount} is evaluated once per delivery count the record can be
 * acquired with (1 to the group's {@code share.delivery.count.limit}, at most {@value #MAX_COUNTS}), keeping a bit
 * per count: the engine then tests the bit of the count the record would have ({@link #accepts(long, int)}).
 */
final class SelectedOffsets implements RecordFilter {
    /** The most delivery counts told apart; Kafka bounds {@code share.delivery.count.limit} to 2-10. */
    static final int MAX_COUNTS = 63;
    private static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    private final Selector selector;
    private final boolean archivesRefused;
    private final RecordIdentifiers identifiers;
    private final long from;
    private final long to;
    private final BitSet accepted;
    /** Per offset from {@code from}, bit {@code c - 1} set when accepted with delivery count {@code c}; or null. */
    private final long[] acceptedCounts;
    private final int counts;

    /**
     * @param deliveryCountLimit the group's {@code share.delivery.count.limit}: the highest delivery count a record
     *                           is acquired with
     */
    SelectedOffsets(Selector selector, boolean archivesRefused, String topic, int partition, long from, long to,
                    int deliveryCountLimit) {
        this.selector = selector;
        this.archivesRefused = archivesRefused;
        this.identifiers = new RecordIdentifiers(topic, partition);
        this.from = from;
        this.to = to;
        int size = (int) Math.min(Integer.MAX_VALUE, to - from + 1);
        if (selector.references(DELIVERY_COUNT)) {
            this.counts = Math.max(1, Math.min(MAX_COUNTS, deliveryCountLimit));
            this.acceptedCounts = new long[size];
            this.accepted = null;
        } else {
            this.counts = 0;
            this.acceptedCounts = null;
            this.accepted = new BitSet(size);
        }
    }

    /** Evaluates the selector for {@code record} (an offset in {@code [from, to]}). */
    void evaluate(Record record) {
        long offset = record.offset();
        if (offset < from || offset > to) {
            return;
        }
        int i = (int) (offset - from);
        if (acceptedCounts == null) {
            if (selector.matches(identifiers.of(record))) {
                accepted.set(i);
            }
            return;
        }
        identifiers.of(record);
        long bits = 0;
        for (int count = 1; count <= counts; count++) {
            if (selector.matches(identifiers.deliveryCount(count))) {
                bits |= 1L << (count - 1);
            }
        }
        acceptedCounts[i] = bits;
    }

    /** Whether the record is accepted on its first delivery. */
    @Override
    public boolean accepts(long offset) {
        return accepts(offset, 1);
    }

    @Override
    public boolean accepts(long offset, int deliveryCount) {
        if (offset < from || offset > to) {
            return false;
        }
        int i = (int) (offset - from);
        if (acceptedCounts == null) {
            return accepted.get(i);
        }
        return deliveryCount >= 1 && deliveryCount <= counts && (acceptedCounts[i] & (1L << (deliveryCount - 1))) != 0;
    }

    @Override
    public boolean archivesRefused() {
        return archivesRefused;
    }
}
