package io.tributary.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.tributary.kafka.TestFrames;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ConnectionHandlerTest {
    private final List<RequestContext> dispatched = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void connect() {
        channel = new EmbeddedChannel(new FrameDecoder(1 << 16, new RateLimitedLog(10_000)),
                new ConnectionHandler(dispatched::add, 1 << 20, new RateLimitedLog(10_000)));
    }

    @Test
    void responsesLeaveInRequestOrderWhateverOrderTheyFinishIn() {
        // Given four pipelined requests
        for (int id = 1; id <= 4; id++) {
            channel.writeInbound(frame(id));
        }
        assertThat(dispatched).hasSize(4);

        // When they finish in the order 3, 2 (no response, like acks=0), 4, 1
        dispatched.get(2).respond(new ApiVersionsResponseData());
        dispatched.get(1).respondNothing();
        dispatched.get(3).respond(new ApiVersionsResponseData());
        assertThat(channel.<Object>readOutbound()).as("nothing may pass request 1").isNull();
        dispatched.get(0).respond(new ApiVersionsResponseData());

        // Then the responses leave as 1, 3, 4
        assertThat(outboundCorrelationIds()).containsExactly(1, 3, 4);
        channel.finishAndReleaseAll();
    }

    @Test
    void requestFinishingWithCloseClosesAfterEarlierResponses() {
        channel.writeInbound(frame(1));
        channel.writeInbound(frame(2));
        dispatched.get(1).closeConnection("test says so");
        assertThat(channel.isActive()).isTrue();

        dispatched.get(0).respond(new ApiVersionsResponseData());

        assertThat(outboundCorrelationIds()).containsExactly(1);
        assertThat(channel.isActive()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void readingPausesWhileTooManyRequestsAreInFlight() {
        for (int id = 1; id <= ConnectionHandler.MAX_IN_FLIGHT; id++) {
            channel.writeInbound(frame(id));
        }
        assertThat(channel.config().isAutoRead()).isFalse();

        dispatched.get(0).respond(new ApiVersionsResponseData());

        assertThat(channel.config().isAutoRead()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void handlerTaskThatThrowsClosesTheConnectionInsteadOfLeavingTheRequestHanging() {
        channel.writeInbound(frame(1));

        dispatched.get(0).execute(() -> {
            throw new IllegalStateException("handler bug");
        });
        channel.runPendingTasks();

        assertThat(channel.isActive()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void idleConnectionIsClosedButNotWhileARequestIsInFlight() {
        channel.writeInbound(frame(1));
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(channel.isActive()).as("a parked fetch is not idleness").isTrue();

        dispatched.get(0).respond(new ApiVersionsResponseData());
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);

        assertThat(channel.isActive()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void readingPausesWhileUnansweredRequestsHoldTooManyBytes() {
        EmbeddedChannel small = new EmbeddedChannel(new FrameDecoder(1 << 16, new RateLimitedLog(10_000)),
                new ConnectionHandler(dispatched::add, 10, new RateLimitedLog(10_000)));
        small.writeInbound(frame(1));
        assertThat(small.config().isAutoRead()).isFalse();

        dispatched.get(0).respond(new ApiVersionsResponseData());

        assertThat(small.config().isAutoRead()).isTrue();
        small.finishAndReleaseAll();
    }

    @Test
    void undecodableRequestClosesTheConnection() {
        ByteBuf garbage = Unpooled.buffer().writeInt(6).writeShort(ApiKeys.API_VERSIONS.id).writeShort(3).writeShort(1);
        channel.writeInbound(garbage);
        assertThat(channel.isActive()).isFalse();
        assertThat(dispatched).isEmpty();
        channel.finishAndReleaseAll();
    }

    private static ByteBuf frame(int correlationId) {
        return Unpooled.wrappedBuffer(TestFrames.request(ApiKeys.API_VERSIONS, (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"), correlationId));
    }

    private List<Integer> outboundCorrelationIds() {
        List<Integer> ids = new ArrayList<>();
        ByteBuf all = Unpooled.buffer();
        for (Object msg = channel.readOutbound(); msg != null; msg = channel.readOutbound()) {
            ByteBuf part = (ByteBuf) msg;
            all.writeBytes(part);
            part.release();
        }
        while (all.isReadable()) {
            int size = all.readInt();
            ids.add(all.getInt(all.readerIndex()));
            all.skipBytes(size);
        }
        all.release();
        return ids;
    }
}
