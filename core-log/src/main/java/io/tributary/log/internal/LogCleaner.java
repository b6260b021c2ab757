package io.tributary.log.internal;

import io.tributary.log.CleanerConfig;
import io.tributary.log.CleanerHints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The log cleaner: {@code log.cleaner.threads} background threads, each taking the dirtiest due
 * partition of a compacted topic ({@link CleanableRange#due}), cleaning it
 * ({@link PartitionCleaner}) and sleeping {@code log.cleaner.backoff.ms} when none is due. The
 * threads share one I/O {@link Throttler} and split {@code log.cleaner.dedupe.buffer.size} between
 * their key maps.
 *
 * <p>A failed clean is logged with its cause and leaves the partition as it was (or with some of
 * its groups swapped, each complete); the partition is tried again at the next pass.
 */
final class LogCleaner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    private final CleanerConfig config;
    private final Supplier<Collection<DefaultTopic>> topics;
    private final Clock clock;
    private final Throttler throttler;
    private final CleanerHints hints;
    private final ChannelFactory files;
    private final Runnable checkpoint;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong cleans = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final Object wakeup = new Object();
    private volatile boolean stopping;

    /** {@code checkpoint} persists every partition's cleaned-up-to offset; run after each clean. */
    LogCleaner(CleanerConfig config, Supplier<Collection<DefaultTopic>> topics, Clock clock, CleanerHints hints,
               ChannelFactory files, Runnable checkpoint) {
        this.config = config;
        this.topics = topics;
        this.clock = clock;
        this.throttler = new Throttler(config.ioMaxBytesPerSecond());
        this.hints = hints;
        this.files = files;
        this.checkpoint = checkpoint;
    }

    /** Starts the threads (none when {@code log.cleaner.enable} is false). */
    void start() {
        if (!config.enabled()) {
            return;
        }
        for (int i = 0; i < config.threads(); i++) {
            PartitionCleaner cleaner = newPartitionCleaner();
            Thread thread = new Thread(() -> run(cleaner), "tributary-log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    PartitionCleaner newPartitionCleaner() {
        return new PartitionCleaner(config.dedupeBufferSize() / config.threads(), throttler, hints, files);
    }

    private void run(PartitionCleaner cleaner) {
        while (!stopping) {
            boolean cleaned;
            try {
                cleaned = cleanOnce(cleaner);
            } catch (InterruptedException e) {
                return;
            }
            if (!cleaned) {
                synchronized (wakeup) {
                    if (stopping) {
                        return;
                    }
                    try {
                        wakeup.wait(Math.max(1, config.backoffMs()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /** Cleans the dirtiest due partition with {@code cleaner}, on the calling thread; false if none is due. */
    boolean cleanOnce(PartitionCleaner cleaner) throws InterruptedException {
        long now = clock.millis();
        DefaultPartitionLog chosen = null;
        CleanableRange chosenRange = null;
        for (DefaultTopic topic : topics.get()) {
            if (!topic.config().cleanupPolicy().compacts()) {
                continue;
            }
            for (DefaultPartitionLog partition : topic.partitions()) {
                if (partition.isOffline() || !partition.startCleaning()) {
                    continue;
                }
                try {
                    CleanableRange range = CleanableRange.of(partition, now, hints);
                    if (range.due(partition.config()) && (chosenRange == null || better(range, chosenRange))) {
                        if (chosen != null) {
                            chosen.doneCleaning();
                        }
                        chosen = partition;
                        chosenRange = range;
                        continue;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.error("Could not measure how dirty {} is", partition, e);
                }
                partition.doneCleaning();
            }
        }
        if (chosen == null) {
            return false;
        }
        try {
            long started = System.nanoTime();
            PartitionCleaner.Result result = cleaner.clean(chosen, chosenRange, now);
            checkpoint.run();
            cleans.incrementAndGet();
            bytesRead.addAndGet(result.bytesRead());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            LOG.info("Cleaned {} up to offset {} in {} ms: {} segments into {}, {} bytes read, {} written,"
                            + " {} records removed ({} MB/s)", chosen, result.endOffset(), ms, result.segmentsBefore(),
                    result.segmentsAfter(), result.bytesRead(), result.bytesWritten(), result.recordsRemoved(),
                    String.format("%.1f", result.bytesRead() / 1e6 / Math.max(ms, 1) * 1000));
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                LOG.error("Cleaning {} failed; it stays as it was and is tried again later", chosen, e);
            }
        } finally {
            chosen.doneCleaning();
        }
        return true;
    }

    private static boolean better(CleanableRange candidate, CleanableRange current) {
        if (candidate.maxLagExceeded() != current.maxLagExceeded()) {
            return candidate.maxLagExceeded();
        }
        return candidate.dirtyRatio() > current.dirtyRatio();
    }

    /** Wakes idle threads so they look for work now (after a topic became compacted, and in tests). */
    void wakeUp() {
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    /** Number of partition cleans completed since open. */
    long cleans() {
        return cleans.get();
    }

    /** Stops the threads, abandoning a clean in progress at its next read or write, and waits for them. */
    @Override
    public void close() {
        stopping = true;
        throttler.stop();
        wakeUp();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
