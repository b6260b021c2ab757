package io.tributary.kafka.network;

import io.tributary.kafka.TestFrames;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequestDecoder#keepsFrameViews}: the group APIs' opaque {@code bytes} fields (member
 * metadata, assignments), which the coordinator keeps long after the request, must survive their
 * frame being freed and reused; produce records are views and must not.
 */
@Timeout(10)
class RequestDecoderFrameViewsTest {
    private static final byte[] OPAQUE = {1, 2, 3, 4, 5, 6, 7, 8};

    @Test
    void groupMetadataAndAssignmentsAreCopiedOutOfTheFrame() throws Exception {
        JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("g").setMemberId("")
                .setProtocolType("consumer").setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000);
        join.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(OPAQUE));
        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId("g").setMemberId("m").setGenerationId(1);
        sync.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId("m").setAssignment(OPAQUE));

        JoinGroupRequestData joined = (JoinGroupRequestData) decodeThenScribble(ApiKeys.JOIN_GROUP, (short) 9, join);
        SyncGroupRequestData synced = (SyncGroupRequestData) decodeThenScribble(ApiKeys.SYNC_GROUP, (short) 5, sync);

        assertThat(RequestDecoder.keepsFrameViews(ApiKeys.JOIN_GROUP)).isFalse();
        assertThat(RequestDecoder.keepsFrameViews(ApiKeys.SYNC_GROUP)).isFalse();
        assertThat(joined.protocols().iterator().next().metadata()).containsExactly(OPAQUE);
        assertThat(synced.assignments().get(0).assignment()).containsExactly(OPAQUE);
    }

    @Test
    void produceRecordsAreViewsOfTheFrame() throws Exception {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("t");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(OPAQUE))));
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        produce.topicData().add(topic);

        ProduceRequestData decoded = (ProduceRequestData) decodeThenScribble(ApiKeys.PRODUCE, (short) 9, produce);

        assertThat(RequestDecoder.keepsFrameViews(ApiKeys.PRODUCE)).isTrue();
        ByteBuffer batches = ((MemoryRecords) decoded.topicData().iterator().next().partitionData().get(0).records()).buffer();
        assertThat(batches.get(0)).as("the records changed with the frame they view").isEqualTo((byte) 0x5A);
    }

    /** Decodes from a direct buffer, then overwrites every byte of it, as a reused pool buffer would be. */
    private static ApiMessage decodeThenScribble(ApiKeys key, short version, ApiMessage body) throws Exception {
        ByteBuffer heap = TestFrames.payload(key, version, body, 7);
        ByteBuffer frame = ByteBuffer.allocateDirect(heap.remaining()).put(heap).flip();
        ApiMessage decoded = RequestDecoder.decode(frame).body();
        byte[] scribble = new byte[frame.capacity()];
        Arrays.fill(scribble, (byte) 0x5A);
        frame.clear();
        frame.put(scribble);
        return decoded;
    }
}
