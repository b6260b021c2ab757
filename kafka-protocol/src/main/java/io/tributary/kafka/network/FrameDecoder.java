package io.tributary.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Splits the byte stream into Kafka request frames and passes each frame's payload on as a
 * {@link ByteBuf} (the receiver releases it).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Size (int32, bytes that follow)                |  0
 *  +---------------------------------------------------------------+
 *  |                 Request header + body ...                      |  4
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The size is checked as soon as its four bytes arrive, before any room is made for the payload:
 * a size below zero or above {@code socket.request.max.bytes} is logged (remote address, size,
 * limit) and the connection is closed, as Kafka does. A connection that closes in the middle of
 * a frame is logged too.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    /** Bytes of the size prefix. */
    public static final int SIZE_PREFIX_BYTES = 4;

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);
    private final int maxFrameBytes;
    /** A client decides how often these lines happen: the listener's budget, one per kind and interval. */
    private final RateLimitedLog warnings;
    private boolean discarding;

    public FrameDecoder(int maxFrameBytes, RateLimitedLog warnings) {
        this.maxFrameBytes = maxFrameBytes;
        this.warnings = warnings;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxFrameBytes) {
            warnings.warn(LOG, size < 0 ? "negative frame size" : "frame too large",
                    "Closing connection from {}: request frame of {} bytes is outside [0, {}] "
                    + "(socket.request.max.bytes)", ctx.channel().remoteAddress(), size, maxFrameBytes);
            discarding = true;
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES + size) {
            return;
        }
        in.skipBytes(SIZE_PREFIX_BYTES);
        out.add(in.readRetainedSlice(size));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decode(ctx, in, out);
        if (!discarding && in.isReadable()) {
            int expected = in.readableBytes() >= SIZE_PREFIX_BYTES ? in.getInt(in.readerIndex()) : -1;
            warnings.warn(LOG, "closed mid-frame", "Connection from {} closed in the middle of a request frame ({} bytes received, "
                    + "frame size {})", ctx.channel().remoteAddress(), in.readableBytes(),
                    expected < 0 ? "unknown" : Integer.toString(expected));
            in.skipBytes(in.readableBytes());
        }
    }
}
