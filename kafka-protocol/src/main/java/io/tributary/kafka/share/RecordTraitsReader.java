package io.tributary.kafka.share;

import io.tributary.delivery.share.RecordTraits;
import io.tributary.log.LogSlice;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the share-group traits of records about to be offered for acquisition from their headers (and, for
 * key affinity, their keys), with kafka-clients' record classes (which decompress compressed batches):
 *
 * <table>
 *   <caption>Record headers honoured for share groups (values in decimal ASCII)</caption>
 *   <tr><th>header</th><th>meaning</th></tr>
 *   <tr><td>{@value #DELIVER_AT}</td><td>epoch ms before which the record is not acquired</td></tr>
 *   <tr><td>{@value #DELAY_MS}</td><td>ms after the record's timestamp before which it is not acquired (when
 *       {@value #DELIVER_AT} is absent)</td></tr>
 *   <tr><td>{@value #EXPIRE_AT}</td><td>epoch ms from which the record is archived instead of acquired</td></tr>
 *   <tr><td>{@value #PRIORITY}</td><td>0 to 9 (default 4), higher first; values outside are clamped</td></tr>
 * </table>
 *
 * <p>A header value that is not a decimal number is ignored (the record gets the default), without a log line
 * per record. Only batches reaching {@code from} are decoded, and control batches never are.
 */
final class RecordTraitsReader {
    static final String DELIVER_AT = "tributary.deliver.at";
    static final String DELAY_MS = "tributary.delay.ms";
    static final String EXPIRE_AT = "tributary.expire.at";
    static final String PRIORITY = "tributary.priority";

    private RecordTraitsReader() {
    }

    /** The traits of the records in {@code [from, to]} of {@code slices}; keys only when {@code keys}. */
    static RecordTraits read(List<LogSlice> slices, long from, long to, boolean keys) throws IOException {
        return read(slices, from, to, from, keys, null);
    }

    /**
     * In one decoding of {@code slices}: the traits of the records in {@code [traitsFrom, to]} (keys only when
     * {@code keys}), and, when {@code selected} is given, its selector evaluated for every record in
     * {@code [from, to]}.
     */
    static RecordTraits read(List<LogSlice> slices, long from, long to, long traitsFrom, boolean keys,
                             SelectedOffsets selected) throws IOException {
        RecordTraits traits = RecordTraits.create();
        if (selected == null) {
            from = Math.max(from, traitsFrom);
        }
        if (from > to) {
            return traits;
        }
        for (LogSlice slice : slices) {
            if (slice.lastOffset() < from) {
                continue;
            }
            if (slice.firstOffset() > to) {
                break;
            }
            for (RecordBatch batch : load(slice).batches()) {
                if (batch.lastOffset() < from || batch.isControlBatch()) {
                    continue;
                }
                if (batch.baseOffset() > to) {
                    break;
                }
                for (Record record : batch) {
                    long offset = record.offset();
                    if (offset < from || offset > to) {
                        continue;
                    }
                    if (offset >= traitsFrom) {
                        add(traits, record, keys);
                    }
                    if (selected != null) {
                        selected.evaluate(record);
                    }
                }
            }
        }
        return traits;
    }

    private static void add(RecordTraits traits, Record record, boolean keys) {
        long deliverAt = 0;
        long delay = -1;
        long expireAt = RecordTraits.NEVER;
        int priority = RecordTraits.DEFAULT_PRIORITY;
        for (Header header : record.headers()) {
            String key = header.key();
            if (!key.startsWith("tributary.")) {
                continue;
            }
            long value = decimal(header.value());
            if (value == Long.MIN_VALUE) {
                continue;
            }
            switch (key) {
                case DELIVER_AT -> deliverAt = Math.max(0, value);
                case DELAY_MS -> delay = Math.max(0, value);
                case EXPIRE_AT -> expireAt = value;
                case PRIORITY -> priority = (int) Math.max(0, Math.min(RecordTraits.MAX_PRIORITY, value));
                default -> {
                }
            }
        }
        if (deliverAt == 0 && delay > 0) {
            deliverAt = record.timestamp() + delay;
        }
        boolean keyed = keys && record.hasKey();
        if (deliverAt > 0 || expireAt != RecordTraits.NEVER || priority != RecordTraits.DEFAULT_PRIORITY || keyed) {
            traits.add(record.offset(), deliverAt, expireAt, priority, keyed, keyed ? record.key().hashCode() : 0);
        }
    }

    /** The decimal number {@code value} spells, or {@link Long#MIN_VALUE} if it is not one. */
    private static long decimal(byte[] value) {
        if (value == null || value.length == 0 || value.length > 19) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static MemoryRecords load(LogSlice slice) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(slice.size());
        long position = slice.position();
        while (buffer.hasRemaining()) {
            int read = slice.channel().read(buffer, position);
            if (read < 0) {
                throw new IOException("Segment ended before the end of the slice at " + position);
            }
            position += read;
        }
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }
}
