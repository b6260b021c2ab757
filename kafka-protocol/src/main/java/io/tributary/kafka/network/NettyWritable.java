package io.tributary.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.tributary.log.LogSlice;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A kafka-clients {@link Writable} that serializes a response into Netty messages: one pooled
 * buffer of exactly the size of the non-record bytes, cut into slices around the records of each
 * partition, with a {@link SliceFileRegion} for every {@link LogSliceRecords} in between. A fetch
 * response thus leaves as {@code ByteBuf, FileRegion, ByteBuf, ...} in order.
 *
 * <p>The buffer's capacity is fixed: writing more than announced is a bug and fails loudly rather
 * than reallocating under slices already taken. {@link #finish()} hands the parts over; {@link #release()}
 * frees them if the response is abandoned.
 */
public final class NettyWritable implements Writable {
    private final ByteBuf buffer;
    private final List<Object> parts = new ArrayList<>(4);
    private int segmentStart;

    /** @param copiedBytes bytes that will be written other than by {@link #writeRecords} */
    public NettyWritable(ByteBufAllocator alloc, int copiedBytes) {
        this.buffer = alloc.ioBuffer(copiedBytes, copiedBytes);
    }

    @Override
    public void writeByte(byte val) {
        buffer.writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        buffer.writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        buffer.writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        buffer.writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        buffer.writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        buffer.writeBytes(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        int value = i;
        while ((value & 0xFFFFFF80) != 0) {
            buffer.writeByte((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        buffer.writeByte((byte) value);
    }

    @Override
    public void writeByteBuffer(ByteBuffer buf) {
        buffer.writeBytes(buf.duplicate());
    }

    @Override
    public void writeVarint(int i) {
        writeUnsignedVarint((i << 1) ^ (i >> 31));
    }

    @Override
    public void writeVarlong(long i) {
        long value = (i << 1) ^ (i >> 63);
        while ((value & 0xFFFFFFFFFFFFFF80L) != 0L) {
            buffer.writeByte((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        buffer.writeByte((byte) value);
    }

    /**
     * Log slices become file regions, in-memory records a wrapping buffer: both are zero copy, as
     * the generated {@code addSize} counts them.
     *
     * @throws IllegalArgumentException for any other kind of records
     */
    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof LogSliceRecords sliceRecords) {
            cutSegment();
            for (LogSlice slice : sliceRecords.slices()) {
                if (!slice.isEmpty()) {
                    parts.add(new SliceFileRegion(slice));
                }
            }
        } else if (records instanceof MemoryRecords memoryRecords) {
            cutSegment();
            if (memoryRecords.sizeInBytes() > 0) {
                parts.add(Unpooled.wrappedBuffer(memoryRecords.buffer()));
            }
        } else {
            throw new IllegalArgumentException("Cannot write records of type " + records.getClass().getName());
        }
    }

    private void cutSegment() {
        int end = buffer.writerIndex();
        if (end > segmentStart) {
            parts.add(buffer.retainedSlice(segmentStart, end - segmentStart));
        }
        segmentStart = end;
    }

    /**
     * Ends writing and returns the messages to write, in order; the caller owns them.
     *
     * @throws IllegalStateException if fewer bytes were written than announced
     */
    public List<Object> finish() {
        if (buffer.isWritable()) {
            int missing = buffer.writableBytes();
            release();
            throw new IllegalStateException("Response is " + missing + " bytes shorter than its computed size");
        }
        cutSegment();
        buffer.release();
        return parts;
    }

    /** Frees everything written so far; for a response that will not be sent. */
    public void release() {
        for (Object part : parts) {
            ReferenceCountUtil.release(part);
        }
        parts.clear();
        buffer.release();
    }
}
