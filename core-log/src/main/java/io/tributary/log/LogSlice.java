package io.tributary.log;

import java.nio.channels.FileChannel;

/**
 * A contiguous range of whole record batches inside one segment file, to be sent as it is
 * (zero copy, e.g. with {@code FileChannel.transferTo} or Netty's {@code DefaultFileRegion}).
 * The channel stays open at least {@code file.delete.delay.ms} after its segment is deleted by
 * retention; the receiver must not close it.
 *
 * @param channel   the segment's data file
 * @param position  where the first batch starts in it
 * @param size      bytes, always a whole number of batches except when the first batch alone is
 *                  larger than the byte limit and partial batches were allowed
 * @param firstOffset base offset of the first batch in the slice
 * @param lastOffset  last offset of the last batch in the slice
 */
public record LogSlice(FileChannel channel, long position, int size, long firstOffset, long lastOffset) {
    /** A slice with no data. */
    public static final LogSlice EMPTY = new LogSlice(null, 0, 0, -1, -1);

    public boolean isEmpty() {
        return size == 0;
    }
}
