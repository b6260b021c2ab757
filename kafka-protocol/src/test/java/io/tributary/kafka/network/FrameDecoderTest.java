package io.tributary.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class FrameDecoderTest {
    private static final int MAX = 64;

    @Test
    void framesSplitAndJoinedArbitrarilyComeOutWhole() {
        // Given two frames delivered as three chunks that cut across both
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX, new RateLimitedLog(10_000)));
        ByteBuf bytes = Unpooled.buffer();
        bytes.writeInt(5).writeBytes("hello".getBytes(StandardCharsets.US_ASCII));
        bytes.writeInt(3).writeBytes("abc".getBytes(StandardCharsets.US_ASCII));

        // When they arrive
        channel.writeInbound(bytes.readRetainedSlice(2));
        channel.writeInbound(bytes.readRetainedSlice(8));
        channel.writeInbound(bytes.readRetainedSlice(bytes.readableBytes()));
        bytes.release();

        // Then each frame's payload comes out once, without its size prefix
        assertThat(readAndRelease(channel.readInbound())).isEqualTo("hello");
        assertThat(readAndRelease(channel.readInbound())).isEqualTo("abc");
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.isActive()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void oversizedFrameClosesBeforeItsPayloadArrives() {
        // Given a size prefix one above the limit, and nothing else
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX, new RateLimitedLog(10_000)));

        // When it arrives
        channel.writeInbound(Unpooled.buffer().writeInt(MAX + 1));

        // Then the connection is closed and nothing is passed on
        assertThat(channel.isActive()).isFalse();
        assertThat(channel.<Object>readInbound()).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void negativeSizeClosesTheConnection() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX, new RateLimitedLog(10_000)));
        channel.writeInbound(Unpooled.buffer().writeInt(-1).writeInt(7));
        assertThat(channel.isActive()).isFalse();
        assertThat(channel.<Object>readInbound()).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void frameOfExactlyTheLimitIsAccepted() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX, new RateLimitedLog(10_000)));
        channel.writeInbound(Unpooled.buffer().writeInt(MAX).writeZero(MAX));
        ByteBuf frame = channel.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(MAX);
        frame.release();
        channel.finishAndReleaseAll();
    }

    private static String readAndRelease(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.US_ASCII);
        } finally {
            buf.release();
        }
    }
}
