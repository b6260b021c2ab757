package io.tributary.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import io.tributary.log.LogSlice;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileRegion} over a {@link LogSlice}, sent with {@code FileChannel.transferTo} (zero copy).
 *
 * <p>Unlike Netty's {@code DefaultFileRegion}, releasing the last reference does <em>not</em> close
 * the file channel: the channel belongs to core-log's segment, which keeps it open for readers
 * until {@code file.delete.delay.ms} after the segment is deleted. Netty releases the region once
 * it is written, or when the connection closes with the region still queued, so nothing leaks.
 */
public final class SliceFileRegion extends AbstractReferenceCounted implements FileRegion {
    private final FileChannel file;
    private final long position;
    private final long count;
    private long transferred;

    public SliceFileRegion(LogSlice slice) {
        this.file = slice.channel();
        this.position = slice.position();
        this.count = slice.size();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return count;
    }

    /**
     * Transfers from {@code position} (relative to this region) on.
     *
     * @throws IOException if the file is now shorter than the region (e.g. truncated under us)
     */
    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        long remaining = count - position;
        if (remaining <= 0) {
            return 0;
        }
        long written = file.transferTo(this.position + position, remaining, target);
        if (written > 0) {
            transferred += written;
        } else if (written == 0 && file.size() < this.position + count) {
            throw new IOException("Segment file is shorter (" + file.size() + " bytes) than the fetched region ["
                    + this.position + ", " + (this.position + count) + ")");
        }
        return written;
    }

    /**
     * Reads what is left of the region into {@code into} with positional {@code FileChannel} reads: one copy,
     * page cache to buffer (into a direct buffer the JDK reads straight; {@code transferTo} into a
     * non-file channel would go through an 8 KiB temporary buffer and a heap array).
     *
     * @throws IOException if the file is now shorter than the region
     */
    public void readFully(ByteBuf into) throws IOException {
        while (transferred < count) {
            int chunk = (int) Math.min(Integer.MAX_VALUE, count - transferred);
            int read = into.writeBytes(file, position + transferred, chunk);
            if (read <= 0) {
                throw new IOException("Segment file is shorter (" + file.size() + " bytes) than the fetched region ["
                        + position + ", " + (position + count) + ")");
            }
            transferred += read;
        }
    }

    @Override
    protected void deallocate() {
        // The channel is core-log's; see the class comment.
    }

    @Override
    public SliceFileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public SliceFileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public SliceFileRegion touch() {
        return this;
    }

    @Override
    public SliceFileRegion touch(Object hint) {
        return this;
    }
}
