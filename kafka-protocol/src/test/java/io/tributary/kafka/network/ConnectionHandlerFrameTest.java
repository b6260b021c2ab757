package io.tributary.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.kafka.TestFrames;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests are decoded in place from the network frame: who holds the frame, and for how long.
 * Every frame arrives in its own direct buffer whose reference count is the number of holds on it.
 */
@Timeout(10)
class ConnectionHandlerFrameTest {
    private final List<RequestContext> dispatched = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void connect() {
        channel = new EmbeddedChannel(new FrameDecoder(1 << 16, new RateLimitedLog(10_000)),
                new ConnectionHandler(dispatched::add, 1 << 20, new RateLimitedLog(10_000)));
    }

    @Test
    void requestWithoutViewsOfItsFrameReleasesItRightAfterDecoding() {
        // Given an ApiVersions request in a direct buffer
        ByteBuf frame = direct(TestFrames.request(ApiKeys.API_VERSIONS, (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"), 1));

        // When it is read and dispatched, not yet answered
        channel.writeInbound(frame);

        // Then the frame is already free, and the decoded body does not need it
        assertThat(frame.refCnt()).isZero();
        ApiVersionsRequestData body = (ApiVersionsRequestData) dispatched.get(0).request().body();
        assertThat(body.clientSoftwareName()).isEqualTo("t");
        dispatched.get(0).respond(new ApiVersionsResponseData());
        channel.finishAndReleaseAll();
    }

    @Test
    void produceKeepsItsFrameUntilItFinishesAndEveryHoldIsReleased() {
        // Given a produce request, decoded without a copy
        ByteBuf frame = direct(produceRequest(1));
        channel.writeInbound(frame);
        RequestContext context = dispatched.get(0);
        assertThat(frame.refCnt()).as("the connection's hold").isEqualTo(1);

        // When a handler holds the frame and the request is answered
        FrameHold hold = context.holdFrame();
        context.respond(new ProduceResponseData());

        // Then the records are still readable through the hold, and the last release frees the frame
        assertThat(frame.refCnt()).isEqualTo(1);
        assertThat(firstValue(context)).isEqualTo("value-1");
        hold.release();
        assertThat(frame.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void closedConnectionReleasesItsHoldsOnceAndAppendHoldsOutliveIt() {
        // Given two produce requests in flight, the first with an append still holding its frame
        ByteBuf first = direct(produceRequest(1));
        ByteBuf second = direct(produceRequest(2));
        channel.writeInbound(first);
        channel.writeInbound(second);
        FrameHold append = dispatched.get(0).holdFrame();

        // When the connection closes, and then the late append completes and the handlers finish
        channel.close();
        assertThat(second.refCnt()).as("dropped request without holds").isZero();
        assertThat(first.refCnt()).as("append still in the pipeline").isEqualTo(1);
        assertThat(firstValue(dispatched.get(0))).isEqualTo("value-1");
        append.release();
        dispatched.get(0).respond(new ProduceResponseData());
        dispatched.get(1).respondNothing();

        // Then each frame was released exactly once (a second release would have thrown)
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void framesOfRejectedRequestsAndOfAClosingConnectionAreReleased() {
        // Given a produce frame whose body is garbage, followed by a valid one on the closing connection
        ByteBuf garbage = direct(TestFrames.rawRequest(ApiKeys.PRODUCE.id, (short) 9, 1, new byte[] {1, 2, 3}));
        ByteBuf late = direct(produceRequest(2));
        ByteBuf both = Unpooled.wrappedBuffer(garbage, late);

        // When both arrive in one read
        channel.writeInbound(both);

        // Then the connection closed, nothing was dispatched and nothing is held
        assertThat(channel.isActive()).isFalse();
        assertThat(dispatched).isEmpty();
        assertThat(garbage.refCnt()).isZero();
        assertThat(late.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void holdAfterTheRequestFinishedIsRefused() {
        channel.writeInbound(direct(produceRequest(1)));
        RequestContext context = dispatched.get(0);
        context.respond(new ProduceResponseData());

        org.assertj.core.api.Assertions.assertThatThrownBy(context::holdFrame)
                .isInstanceOf(IllegalStateException.class);
        channel.finishAndReleaseAll();
    }

    private static String firstValue(RequestContext context) {
        ProduceRequestData body = (ProduceRequestData) context.request().body();
        MemoryRecords records = (MemoryRecords) body.topicData().iterator().next().partitionData().get(0).records();
        Record record = records.records().iterator().next();
        return StandardCharsets.UTF_8.decode(record.value()).toString();
    }

    private static ByteBuffer produceRequest(int correlationId) {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("t");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.withRecords(Compression.NONE,
                        new SimpleRecord(("value-" + correlationId).getBytes(StandardCharsets.UTF_8)))));
        ApiMessage request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        ((ProduceRequestData) request).topicData().add(topic);
        return TestFrames.request(ApiKeys.PRODUCE, (short) 9, request, correlationId);
    }

    private static ByteBuf direct(ByteBuffer bytes) {
        ByteBuf buf = Unpooled.directBuffer(bytes.remaining());
        buf.writeBytes(bytes);
        return buf;
    }
}
