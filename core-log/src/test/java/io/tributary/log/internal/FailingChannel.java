package io.tributary.log.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file channel that fails as its {@link DiskFaults} say: a write writes part of its bytes and
 * then throws "No space left on device", like a disk that fills up mid-write; a force or a
 * truncate throws an I/O error and does nothing. It also counts {@link #force} calls, for tests of
 * when files are flushed.
 */
final class FailingChannel extends FileChannel {
    private final FileChannel delegate;
    private final DiskFaults faults;
    private final AtomicInteger forces = new AtomicInteger();

    /** A channel whose writes fail while {@code failWrites} is set, and nothing else. */
    FailingChannel(FileChannel delegate, AtomicBoolean failWrites) {
        this(delegate, new DiskFaults(failWrites));
    }

    FailingChannel(FileChannel delegate, DiskFaults faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        if (faults.writesFail()) {
            if (src.remaining() > 1) {
                ByteBuffer half = src.duplicate();
                half.limit(half.position() + src.remaining() / 2);
                delegate.write(half, position);
            }
            throw new IOException("No space left on device");
        }
        return delegate.write(src, position);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return write(src, delegate.position());
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("gathering write");
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (faults.truncatesFail()) {
            throw new IOException(DiskFaults.TRUNCATE_FAILURE);
        }
        delegate.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        forces.incrementAndGet();
        if (faults.onForce()) {
            throw new IOException(DiskFaults.FSYNC_FAILURE);
        }
        delegate.force(metaData);
    }

    /** How many times {@link #force} was called. */
    int forces() {
        return forces.get();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        faults.onClose();
        delegate.close();
    }
}
