package io.tributary.kafka.share;

import io.tributary.delivery.share.RecordTraits;
import io.tributary.log.LogSlice;
import io.tributary.log.RecordBatchHeader;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the share-group traits of records about to be offered for acquisition from their headers (and, for
 * key affinity, their keys). Uncompressed batches are walked in place (varints, no object per record, only
 * {@code tributary.*} headers decoded); compressed ones, and every batch whose records a member's selector is to
 * see, go through kafka-clients' record classes (which decompress them):
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
 * per record. Only batches reaching {@code [from, to]} are loaded (found by their headers) and decoded, and control
 * batches never are.
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
     * {@code [from, to]} (such records go through kafka-clients' record classes: a selector may read any header).
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
        ByteBuffer header = ByteBuffer.allocate(RecordBatchHeader.HEADER_SIZE);
        RecordBatchHeader view = new RecordBatchHeader();
        for (LogSlice slice : slices) {
            if (slice.lastOffset() < from) {
                continue;
            }
            if (slice.firstOffset() > to) {
                break;
            }
            // only the batches that reach [from, to] are loaded, found by their headers
            long position = slice.position();
            long end = slice.position() + slice.size();
            long first = -1;
            long last = -1;
            while (end - position >= RecordBatchHeader.HEADER_SIZE) {
                readFully(slice, header.clear(), position);
                view.wrap(header, 0);
                if (view.baseOffset() > to) {
                    break;
                }
                long next = position + view.sizeInBytes();
                if (view.sizeInBytes() < RecordBatchHeader.HEADER_SIZE || next > end) {
                    break;
                }
                if (view.lastOffset() >= from) {
                    if (first < 0) {
                        first = position;
                    }
                    last = next;
                }
                position = next;
            }
            if (first >= 0) {
                ByteBuffer bytes = ByteBuffer.allocate((int) (last - first));
                readFully(slice, bytes, first);
                readBatches(bytes.flip(), new Range(from, to, traitsFrom, keys, selected), traits);
            }
        }
        return traits;
    }

    /** What to read of a batch: traits in {@code [traitsFrom, to]}, the selector (if any) over {@code [from, to]}. */
    private record Range(long from, long to, long traitsFrom, boolean keys, SelectedOffsets selected) {
    }

    /**
     * The records of the whole batches in {@code bytes}; uncompressed ones without kafka-clients' objects unless a
     * selector is to be evaluated.
     */
    private static void readBatches(ByteBuffer bytes, Range range, RecordTraits traits) {
        RecordBatchHeader view = new RecordBatchHeader();
        int position = bytes.position();
        while (bytes.limit() - position >= RecordBatchHeader.HEADER_SIZE) {
            view.wrap(bytes, position);
            int size = view.sizeInBytes();
            if (size < RecordBatchHeader.HEADER_SIZE || bytes.limit() - position < size) {
                return;
            }
            if (!view.isControl() && view.lastOffset() >= range.from() && view.baseOffset() <= range.to()) {
                if (range.selected() == null && view.compressionCodec() == 0
                        && view.magic() == RecordBatchHeader.MAGIC_V2) {
                    plainBatch(bytes.duplicate().limit(position + size)
                            .position(position + RecordBatchHeader.RECORDS_OFFSET), view, range.from(), range.to(),
                            range.keys(), traits);
                } else {
                    recordObjects(bytes.duplicate().limit(position + size).position(position).slice(), range, traits);
                }
            }
            position += size;
        }
    }

    private static void recordObjects(ByteBuffer batch, Range range, RecordTraits traits) {
        for (RecordBatch b : MemoryRecords.readableRecords(batch).batches()) {
            for (Record record : b) {
                long offset = record.offset();
                if (offset < range.from() || offset > range.to()) {
                    continue;
                }
                if (offset >= range.traitsFrom()) {
                    add(traits, record, range.keys());
                }
                if (range.selected() != null) {
                    range.selected().evaluate(record);
                }
            }
        }
    }

    /**
     * Walks an uncompressed v2 batch's records (length, attributes, timestamp delta, offset delta, key, value,
     * headers) with varints, decoding only the headers named {@code tributary.*}.
     */
    private static void plainBatch(ByteBuffer records, RecordBatchHeader batch, long from, long to, boolean keys,
                                   RecordTraits traits) {
        long baseOffset = batch.baseOffset();
        long baseTimestamp = batch.baseTimestamp();
        boolean logAppendTime = batch.isLogAppendTime();
        long maxTimestamp = batch.maxTimestamp();
        int count = batch.recordsCount();
        try {
            for (int i = 0; i < count; i++) {
                int length = varint(records);
                int recordEnd = records.position() + length;
                records.get(); // attributes
                long timestampDelta = varlong(records);
                long offset = baseOffset + varint(records);
                if (offset < from || offset > to) {
                    records.position(recordEnd);
                    continue;
                }
                int keyLength = varint(records);
                int keyHash = 0;
                boolean keyed = keys && keyLength >= 0;
                if (keyed) {
                    keyHash = records.slice(records.position(), keyLength).hashCode();
                }
                skip(records, keyLength);
                skip(records, varint(records));
                int headerCount = varint(records);
                if (headerCount == 0 && !keyed) {
                    records.position(recordEnd);
                    continue;
                }
                long deliverAt = 0;
                long delay = -1;
                long expireAt = RecordTraits.NEVER;
                int priority = RecordTraits.DEFAULT_PRIORITY;
                for (int h = 0; h < headerCount; h++) {
                    int nameLength = varint(records);
                    int namePosition = records.position();
                    skip(records, nameLength);
                    int valueLength = varint(records);
                    int valuePosition = records.position();
                    skip(records, valueLength);
                    if (nameLength <= PREFIX.length || !startsWith(records, namePosition, PREFIX)) {
                        continue;
                    }
                    String name = new String(bytes(records, namePosition, nameLength), StandardCharsets.UTF_8);
                    long value = decimal(valueLength < 0 ? null : bytes(records, valuePosition, valueLength));
                    if (value == Long.MIN_VALUE) {
                        continue;
                    }
                    switch (name) {
                        case DELIVER_AT -> deliverAt = Math.max(0, value);
                        case DELAY_MS -> delay = Math.max(0, value);
                        case EXPIRE_AT -> expireAt = value;
                        case PRIORITY -> priority = (int) Math.max(0, Math.min(RecordTraits.MAX_PRIORITY, value));
                        default -> {
                        }
                    }
                }
                records.position(recordEnd);
                if (deliverAt == 0 && delay > 0) {
                    deliverAt = (logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta) + delay;
                }
                if (deliverAt > 0 || expireAt != RecordTraits.NEVER || priority != RecordTraits.DEFAULT_PRIORITY
                        || keyed) {
                    traits.add(offset, deliverAt, expireAt, priority, keyed, keyHash);
                }
            }
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            // a malformed record: the rest of the batch keeps the defaults, as records whose headers do not parse
        }
    }

    private static final byte[] PREFIX = "tributary.".getBytes(StandardCharsets.US_ASCII);

    private static boolean startsWith(ByteBuffer buffer, int position, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (buffer.get(position + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(ByteBuffer buffer, int position, int length) {
        byte[] out = new byte[length];
        buffer.get(position, out);
        return out;
    }

    private static void skip(ByteBuffer buffer, int length) {
        if (length > 0) {
            buffer.position(buffer.position() + length);
        }
    }

    private static int varint(ByteBuffer buffer) {
        long raw = rawVarlong(buffer, 5);
        return (int) (raw >>> 1) ^ -(int) (raw & 1);
    }

    private static long varlong(ByteBuffer buffer) {
        long raw = rawVarlong(buffer, 10);
        return (raw >>> 1) ^ -(raw & 1);
    }

    private static long rawVarlong(ByteBuffer buffer, int maxBytes) {
        long value = 0;
        for (int i = 0; i < maxBytes; i++) {
            byte b = buffer.get();
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than " + maxBytes + " bytes");
    }

    private static void readFully(LogSlice slice, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = slice.channel().read(buffer, at);
            if (read < 0) {
                throw new IOException("Segment ended before the end of the slice at " + at);
            }
            at += read;
        }
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
}
