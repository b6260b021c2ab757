package io.tributary.log.internal;

import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST SUPPORT: switches for the failures {@link FailingChannel} injects into every segment and
 * index channel of a real log opened with {@link #open}. Published in core-log's test jar, so the
 * tests of the modules above core-log can have storage fail under them.
 */
public final class DiskFaults {
    static final String FSYNC_FAILURE = "Input/output error (injected fsync failure)";
    static final String TRUNCATE_FAILURE = "Input/output error (injected truncate failure)";

    private final AtomicBoolean writes;
    private final AtomicBoolean forces = new AtomicBoolean();
    private final AtomicBoolean truncates = new AtomicBoolean();
    private final AtomicInteger forceCalls = new AtomicInteger();
    /** Channels that may still be opened; {@link Integer#MAX_VALUE} for no limit. */
    private final AtomicInteger opensLeft = new AtomicInteger(Integer.MAX_VALUE);
    /** Channels opened through {@link #open} and not closed yet: the descriptors the log holds. */
    private final AtomicInteger openChannels = new AtomicInteger();
    /** Most channels open at once before an open fails; {@link Integer#MAX_VALUE} for no limit. */
    private volatile int openChannelLimit = Integer.MAX_VALUE;

    public DiskFaults() {
        this(new AtomicBoolean());
    }

    /** Faults whose write switch is {@code writes}; the others start off. */
    DiskFaults(AtomicBoolean writes) {
        this.writes = writes;
    }

    /** While set, a positional write writes half its bytes, then throws "No space left on device". */
    public void failWrites(boolean fail) {
        writes.set(fail);
    }

    /** While set, {@code force} throws an I/O error without forcing anything, as a failing fsync does. */
    public void failForces(boolean fail) {
        forces.set(fail);
    }

    /** While set, {@code truncate} throws an I/O error without truncating. */
    public void failTruncates(boolean fail) {
        truncates.set(fail);
    }

    /**
     * Lets {@code allowed} more channels open, then makes every open throw "Too many open files", as
     * a process at its descriptor limit sees; {@link #allowOpens} lifts it.
     */
    public void failOpensAfter(int allowed) {
        opensLeft.set(allowed);
    }

    /**
     * Lets the log hold at most {@code more} open channels beyond those it holds now, as a process with
     * that many descriptors to spare under its {@code ulimit -n} (channels it closes give their room back);
     * an open past it throws "Too many open files". {@link #allowOpens} lifts it.
     */
    public void limitOpenFiles(int more) {
        openChannelLimit = openChannels.get() + more;
    }

    /** Opens succeed again. */
    public void allowOpens() {
        opensLeft.set(Integer.MAX_VALUE);
        openChannelLimit = Integer.MAX_VALUE;
    }

    /** Calls of {@code force} on every channel opened with these faults, failed ones included. */
    public int forceCalls() {
        return forceCalls.get();
    }

    /** Opens the real log in {@code config.dir()} with channels that fail as these switches say. */
    public LogManager open(LogManagerConfig config) {
        return openDefault(config);
    }

    DefaultLogManager openDefault(LogManagerConfig config) {
        return DefaultLogManager.open(config, path -> {
            if (opensLeft.getAndUpdate(n -> n == Integer.MAX_VALUE || n <= 0 ? n : n - 1) <= 0) {
                throw new FileSystemException(path + ": Too many open files (injected)");
            }
            if (openChannels.incrementAndGet() > openChannelLimit) {
                openChannels.decrementAndGet();
                throw new FileSystemException(path + ": Too many open files (injected: "
                        + openChannelLimit + " held)");
            }
            try {
                return new FailingChannel(ChannelFactory.DEFAULT.open(path), this);
            } catch (IOException | RuntimeException e) {
                openChannels.decrementAndGet();
                throw e;
            }
        });
    }

    /** Counts one channel closed. */
    void onClose() {
        openChannels.decrementAndGet();
    }

    boolean writesFail() {
        return writes.get();
    }

    /** Counts one force call; true if it must fail. */
    boolean onForce() {
        forceCalls.incrementAndGet();
        return forces.get();
    }

    boolean truncatesFail() {
        return truncates.get();
    }
}
