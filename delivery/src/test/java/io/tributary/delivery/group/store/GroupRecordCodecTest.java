package io.tributary.delivery.group.store;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.GroupType;
import io.tributary.delivery.group.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class GroupRecordCodecTest {

    @Test
    void everyRecordKindSurvivesEncodeAndDecode() {
        // Given one record of each kind, with non-ASCII names and null protocol fields
        TopicPartition tp = new TopicPartition("tópico", 7);
        List<GroupRecord> records = List.of(
                new GroupRecord.OffsetCommitted("grüppe", tp, new OffsetAndMetadata(123L, 4, "métadata", 99L)),
                new GroupRecord.OffsetRemoved("grüppe", tp),
                new GroupRecord.GroupMetadata("g", GroupType.CLASSIC, 12, "consumer", "range"),
                new GroupRecord.GroupMetadata("c", GroupType.CONSUMER, 3, "consumer", null),
                new GroupRecord.GroupRemoved("g"));

        // When / Then
        for (GroupRecord record : records) {
            assertThat(GroupRecordCodec.decode(GroupRecordCodec.key(record), GroupRecordCodec.value(record)))
                    .isEqualTo(record);
        }
    }

    @Test
    void tombstonesShareTheKeyOfWhatTheyRemove() {
        TopicPartition tp = new TopicPartition("t", 0);
        assertThat(GroupRecordCodec.key(new GroupRecord.OffsetRemoved("g", tp))).isEqualTo(
                GroupRecordCodec.key(new GroupRecord.OffsetCommitted("g", tp, new OffsetAndMetadata(1, -1, "", 0))));
        assertThat(GroupRecordCodec.value(new GroupRecord.GroupRemoved("g"))).isNull();
        assertThat(GroupRecordCodec.key(new GroupRecord.GroupRemoved("g"))).isEqualTo(
                GroupRecordCodec.key(new GroupRecord.GroupMetadata("g", GroupType.CLASSIC, 1, "consumer", "range")));
    }
}
