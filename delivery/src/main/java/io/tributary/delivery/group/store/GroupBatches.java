package io.tributary.delivery.group.store;

import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.internal.records.RecordBatchWriter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Group records as uncompressed v2 batches ({@link RecordBatchWriter}), keyed and valued by {@link GroupRecordCodec}. */
final class GroupBatches {
    /** Upper bound of the bytes one record adds besides key and value (varint fields at their widest). */
    private static final int MAX_RECORD_OVERHEAD = 32;

    private GroupBatches() {
    }

    /** One batch holding {@code records}, each stamped {@code timestampMs}. */
    static ByteBuffer encode(List<GroupRecord> records, long timestampMs) {
        RecordBatchWriter writer = new RecordBatchWriter(256);
        for (GroupRecord record : records) {
            writer.append(timestampMs, GroupRecordCodec.key(record), GroupRecordCodec.value(record));
        }
        return writer.build();
    }

    /**
     * {@code records} in order, as consecutive batches of at most {@code maxBatchBytes} each (a
     * record larger than that gets a batch of its own). Empty for no records.
     */
    static List<ByteBuffer> encode(List<GroupRecord> records, long timestampMs, int maxBatchBytes) {
        List<ByteBuffer> batches = new ArrayList<>();
        RecordBatchWriter writer = new RecordBatchWriter(Math.min(maxBatchBytes, 1 << 16));
        for (GroupRecord record : records) {
            ByteBuffer key = GroupRecordCodec.key(record);
            ByteBuffer value = GroupRecordCodec.value(record);
            int bytes = key.remaining() + (value == null ? 0 : value.remaining()) + MAX_RECORD_OVERHEAD;
            if (writer.count() > 0 && writer.size() + bytes > maxBatchBytes) {
                batches.add(writer.build());
                writer = new RecordBatchWriter(Math.min(maxBatchBytes, 1 << 16));
            }
            writer.append(timestampMs, key, value);
        }
        if (writer.count() > 0) {
            batches.add(writer.build());
        }
        return batches;
    }
}
