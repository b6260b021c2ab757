package io.tributary.log.internal;

import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Reads slices back into bytes, and whole partitions into lists of batch base offsets. */
final class Slices {
    private Slices() {
    }

    static byte[] bytes(LogSlice slice) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(slice.size());
        FileIo.readFully(slice.channel(), dst, slice.position());
        return dst.array();
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** Every stored byte from {@code offset} to the high watermark, following segments as a consumer would. */
    static byte[] readAll(PartitionLog log, long offset) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long next = offset;
        while (next < log.highWatermark()) {
            LogSlice slice = log.read(next, Integer.MAX_VALUE, Long.MAX_VALUE, true);
            if (slice.isEmpty()) {
                break;
            }
            out.writeBytes(bytes(slice));
            next = slice.lastOffset() + 1;
        }
        return out.toByteArray();
    }

    /** Base offsets of every stored batch. */
    static List<Long> baseOffsets(PartitionLog log) throws IOException {
        List<Long> offsets = new ArrayList<>();
        log.scanBatches(log.logStartOffset(), header -> offsets.add(header.baseOffset()));
        return offsets;
    }
}
