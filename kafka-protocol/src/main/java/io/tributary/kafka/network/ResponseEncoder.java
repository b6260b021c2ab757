package io.tributary.kafka.network;

import io.netty.buffer.ByteBufAllocator;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.util.List;

/**
 * Serializes a response frame with kafka-clients' generated classes.
 *
 * <pre>
 *  +---------------------+----------------------------------+------------------------------+
 *  | size (int32)        | correlation id (int32)           | body at the response version |
 *  | bytes that follow   | + tagged fields (header v1 only) | (records may be file regions)|
 *  +---------------------+----------------------------------+------------------------------+
 * </pre>
 *
 * Sizes come from the message's own {@code addSize}, which also reports how many of them are
 * zero-copy record bytes, so the buffer is allocated once at its exact size.
 */
public final class ResponseEncoder {
    private ResponseEncoder() {
    }

    /**
     * Encodes a whole frame; returns the Netty messages ({@code ByteBuf}s and {@code FileRegion}s) to
     * write in order. The caller owns them.
     */
    public static List<Object> encode(ByteBufAllocator alloc, int correlationId, short headerVersion,
                                      ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);
        int copied = FrameDecoder.SIZE_PREFIX_BYTES + size.sizeExcludingZeroCopy();
        NettyWritable out = new NettyWritable(alloc, copied);
        try {
            out.writeInt(size.totalSize());
            header.write(out, cache, headerVersion);
            body.write(out, cache, version);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        return out.finish();
    }
}
