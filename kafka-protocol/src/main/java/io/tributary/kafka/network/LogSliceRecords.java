package io.tributary.kafka.network;

import io.tributary.log.LogSlice;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

import java.util.List;

/**
 * The records of one partition in a fetch response: one or more {@link LogSlice}s (a read that
 * crosses segment boundaries yields one slice per segment), still on disk. {@link NettyWritable}
 * turns each slice into a {@link SliceFileRegion}, so the bytes go from the page cache to the socket.
 */
public final class LogSliceRecords implements BaseRecords {
    private final List<LogSlice> slices;
    private final int sizeInBytes;

    public LogSliceRecords(List<LogSlice> slices) {
        this.slices = List.copyOf(slices);
        int size = 0;
        for (LogSlice slice : this.slices) {
            size += slice.size();
        }
        this.sizeInBytes = size;
    }

    public List<LogSlice> slices() {
        return slices;
    }

    @Override
    public int sizeInBytes() {
        return sizeInBytes;
    }

    /**
     * Not used: kafka-clients' own network layer would call this; this adapter writes the slices
     * with {@link NettyWritable#writeRecords}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("LogSliceRecords are sent as Netty FileRegions by NettyWritable");
    }
}
