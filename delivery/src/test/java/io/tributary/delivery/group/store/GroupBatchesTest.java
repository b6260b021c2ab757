package io.tributary.delivery.group.store;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.OffsetAndMetadata;
import io.tributary.delivery.internal.records.RecordBatchReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class GroupBatchesTest {

    @Test
    void recordsAreSplitIntoBatchesNoLargerThanAskedAndKeepTheirOrder() {
        // Given 500 offset records of about 60 bytes each
        List<GroupRecord> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            records.add(new GroupRecord.OffsetCommitted("group-" + i % 7, new TopicPartition("topic", i),
                    new OffsetAndMetadata(i, 1, "meta", 3L)));
        }

        // When they are encoded in batches of at most 4 KiB
        List<ByteBuffer> batches = GroupBatches.encode(records, 1_000L, 4096);

        // Then every batch fits, and reading them back gives the records in order
        assertThat(batches.size()).isGreaterThan(5);
        List<GroupRecord> read = new ArrayList<>();
        for (ByteBuffer batch : batches) {
            assertThat(batch.remaining()).isLessThanOrEqualTo(4096);
            RecordBatchReader.forEach(batch.duplicate(), (offset, timestamp, key, value, headers) ->
                    read.add(GroupRecordCodec.decode(key, value)));
        }
        assertThat(read).isEqualTo(records);
        assertThat(GroupBatches.encode(List.of(), 1_000L, 4096)).isEmpty();
    }
}
