package io.tributary.kafka.share;

import io.tributary.delivery.share.RecordFilter;
import io.tributary.jms.selector.Selector;
import org.apache.kafka.common.record.internal.Record;

import java.util.BitSet;

/**
 * The offsets of one read that a member's selector accepts, evaluated while the records are decoded (on the read
 * executor) and handed to the engine as its {@link RecordFilter}, so the partition's lock is held for a bit test
 * per record, not for a selector evaluation. Offsets outside {@code [from, to]} are not accepted.
 */
final class SelectedOffsets implements RecordFilter {
    private final Selector selector;
    private final boolean archivesRefused;
    private final RecordIdentifiers identifiers;
    private final long from;
    private final long to;
    private final BitSet accepted;

    SelectedOffsets(Selector selector, boolean archivesRefused, String topic, int partition, long from, long to) {
        this.selector = selector;
        this.archivesRefused = archivesRefused;
        this.identifiers = new RecordIdentifiers(topic, partition);
        this.from = from;
        this.to = to;
        this.accepted = new BitSet((int) Math.min(Integer.MAX_VALUE, to - from + 1));
    }

    /** Evaluates the selector for {@code record} (an offset in {@code [from, to]}). */
    void evaluate(Record record) {
        long offset = record.offset();
        if (offset >= from && offset <= to && selector.matches(identifiers.of(record))) {
            accepted.set((int) (offset - from));
        }
    }

    @Override
    public boolean accepts(long offset) {
        return offset >= from && offset <= to && accepted.get((int) (offset - from));
    }

    @Override
    public boolean archivesRefused() {
        return archivesRefused;
    }
}
