package io.tributary.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;

/**
 * On a TLS connection, turns each {@link FileRegion} of a fetch response into a buffer, since the
 * bytes must pass through the cipher: TLS cannot use {@code sendfile}. The segment bytes are read
 * on the event loop, as Kafka's SSL transport layer reads them on its network thread, straight into
 * one pooled direct buffer per region ({@link SliceFileRegion#readFully}); a response is at most the
 * fetch's byte limits. PLAINTEXT connections do not have this handler and stay
 * zero copy.
 */
public final class FileRegionReader extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof FileRegion region)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf buffer = ctx.alloc().directBuffer((int) region.count());
        try {
            if (region instanceof SliceFileRegion slice) {
                slice.readFully(buffer);
            } else {
                copy(region, buffer);
            }
        } catch (IOException | RuntimeException e) {
            buffer.release();
            region.release();
            // A segment shortened under the fetch: the connection cannot continue its response stream.
            promise.tryFailure(e);
            ctx.close();
            return;
        }
        region.release();
        ctx.write(buffer, promise);
    }

    private static void copy(FileRegion region, ByteBuf buffer) throws IOException {
        try (WritableByteChannel into = Channels.newChannel(new ByteBufOutputStream(buffer))) {
            while (region.transferred() < region.count()) {
                if (region.transferTo(into, region.transferred()) <= 0 && region.transferred() < region.count()) {
                    throw new IOException("Segment region ended after " + region.transferred() + " of "
                            + region.count() + " bytes");
                }
            }
        }
    }
}
