package io.tributary.delivery.group.store;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.GroupType;
import io.tributary.delivery.group.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
                new GroupRecord.GroupMetadata("e", GroupType.CONSUMER, 4, "consumer", null, 1_700_000_000_123L),
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

    @Test
    void aGroupValueOfVersionZeroReadsAsAGroupWithMembers() {
        // Given a group value as version 0 wrote it: no emptySinceMs
        byte[] type = "consumer".getBytes(StandardCharsets.UTF_8);
        ByteBuffer v0 = ByteBuffer.allocate(2 + 1 + 4 + 2 + type.length + 2);
        v0.putShort((short) 0).put((byte) 0).putInt(5).putShort((short) type.length).put(type).putShort((short) -1);
        v0.flip();
        GroupRecord.GroupMetadata record = new GroupRecord.GroupMetadata("g", GroupType.CLASSIC, 5, "consumer", null);

        // When / Then
        assertThat(GroupRecordCodec.decode(GroupRecordCodec.key(record), v0)).isEqualTo(record);
        assertThat(record.emptySinceMs()).isEqualTo(GroupRecord.GroupMetadata.HAS_MEMBERS);
    }
}
