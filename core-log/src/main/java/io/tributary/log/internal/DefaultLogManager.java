package io.tributary.log.internal;

import io.tributary.log.FlushPolicy;
import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.LogOfflineException;
import io.tributary.log.Topic;
import io.tributary.log.TopicExistsException;
import io.tributary.log.UnknownTopicException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The log manager: loads every topic of the data directory at open (recovering them after an
 * unclean stop, see {@link PartitionLoader}), creates topics, and runs the background work on one
 * scheduler thread: the periodic flusher of {@link FlushPolicy#ASYNC} topics (every
 * {@code flush.ms} per topic), retention (every {@code log.retention.check.interval.ms}) and the
 * delayed deletion of retired segments.
 *
 * <p>The {@value #CLEAN_SHUTDOWN} marker file is written by {@link #close()} after everything is
 * forced, and deleted at open before anything is written: its presence means the files are
 * exactly as a clean close left them. So it is not written while a partition is offline
 * ({@link DefaultPartitionLog#offlineReason()}): the next open validates the tails, as after a crash.
 */
public final class DefaultLogManager implements LogManager {
    static final String CLEAN_SHUTDOWN = "clean-shutdown";
    /** How often recovery points are written (Kafka's {@code log.flush.offset.checkpoint.interval.ms} default). */
    static final long RECOVERY_POINT_CHECKPOINT_INTERVAL_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(DefaultLogManager.class);

    private final LogManagerConfig config;
    private final ScheduledThreadPoolExecutor scheduler;
    private final SegmentReaper reaper;
    private final PartitionLoader loader;
    private final LogCleaner cleaner;
    /** Background checker of closed segments (decision 0018); its own thread, since it sleeps to its rate. */
    private final Throttler scrubThrottler;
    private final SegmentScrubber scrubber;
    private final ScheduledThreadPoolExecutor scrubberThread;
    private final Map<String, DefaultTopic> topics = new ConcurrentHashMap<>();
    /** {@link #topics} by id, for the requests that name topics by id (Produce v13+, Fetch v13+, ...). */
    private final Map<UUID, DefaultTopic> topicsById = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> flushers = new ConcurrentHashMap<>();
    /** Deleted topics whose files wait for {@code file.delete.delay.ms}, with their renamed directories. */
    private final Map<DefaultTopic, List<Path>> deletedTopics = new ConcurrentHashMap<>();
    private final Object lifecycleLock = new Object();
    private final Object startOffsetLock = new Object();
    private final Object cleanerCheckpointLock = new Object();
    private final boolean recoveredOnOpen;
    private boolean closed;

    private DefaultLogManager(LogManagerConfig config, ChannelFactory files) {
        long started = System.nanoTime();
        if (config.retentionCheckIntervalMs() < 1) {
            throw new InvalidConfigException("log.retention.check.interval.ms",
                    Long.toString(config.retentionCheckIntervalMs()), "at least 1");
        }
        this.config = config;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "tributary-log-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        scheduler.setRemoveOnCancelPolicy(true);
        this.reaper = new SegmentReaper(scheduler, config.fileDeleteDelayMs());
        this.loader = new PartitionLoader(new LogServices(files, config.clock(), reaper,
                this::checkpointLogStartOffsetsNow));
        this.scrubThrottler = new Throttler(config.scrubberBytesPerSecond());
        this.scrubber = new SegmentScrubber(topics::values, scrubThrottler);
        this.scrubberThread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "tributary-log-scrubber");
            thread.setDaemon(true);
            return thread;
        });
        scrubberThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scrubberThread.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.cleaner = new LogCleaner(config.cleaner(), topics::values, config.clock(), config.cleanerHints(), files,
                this::checkpointCleanerOffsets);
        try {
            Files.createDirectories(config.dir());
            Path marker = config.dir().resolve(CLEAN_SHUTDOWN);
            boolean clean = Files.deleteIfExists(marker);
            if (clean) {
                FileIo.fsyncDirectory(config.dir());
            }
            Map<String, Long> recoveryPoints = clean ? Map.of() : RecoveryPointCheckpoint.read(config.dir());
            Map<String, Long> logStarts = LogStartOffsetCheckpoint.read(config.dir());
            new TopicDirectory(config.dir()).loadAll((metadata, recover) -> loadTopic(metadata, recover,
                    recoveryPoints, logStarts), !clean);
            this.recoveredOnOpen = !clean && !topics.isEmpty();
            applyCleanerOffsets(CleanerOffsetCheckpoint.read(config.dir()));
            // Recovery may have cut below an old recovery point: replace the files before any append.
            writeStartupCheckpoints();
        } catch (IOException | RuntimeException e) {
            scheduler.shutdownNow();
            closePartitionsAfterFailure(e);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot open the log in " + config.dir() + ": " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        scheduler.scheduleWithFixedDelay(this::checkRetention, config.retentionCheckIntervalMs(),
                config.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::checkpointRecoveryPoints, RECOVERY_POINT_CHECKPOINT_INTERVAL_MS,
                RECOVERY_POINT_CHECKPOINT_INTERVAL_MS, TimeUnit.MILLISECONDS);
        cleaner.start();
        if (config.scrubberEnable()) {
            scrubberThread.scheduleWithFixedDelay(this::scrubInBackground, config.scrubberIntervalMs(),
                    config.scrubberIntervalMs(), TimeUnit.MILLISECONDS);
        }
        LOG.info("Opened the log in {} in {} ms: {} topics, {} segments validated", config.dir(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), topics.size(), loader.segmentsRecovered());
    }

    /** Opens the log in {@code config.dir()}; see {@link LogManager#open}. */
    public static LogManager open(LogManagerConfig config) {
        return new DefaultLogManager(config, ChannelFactory.DEFAULT);
    }

    static DefaultLogManager open(LogManagerConfig config, ChannelFactory files) {
        return new DefaultLogManager(config, files);
    }

    private void loadTopic(TopicMetadata metadata, boolean recover, Map<String, Long> recoveryPoints,
                           Map<String, Long> logStarts) throws IOException {
        LogConfig topicConfig = config.defaults().withOverrides(metadata.overrides());
        List<DefaultPartitionLog> partitions = new ArrayList<>();
        for (int p = 0; p < metadata.partitions(); p++) {
            String name = TopicNames.partitionDir(metadata.name(), p);
            partitions.add(loader.load(metadata.name(), p, config.dir().resolve(name), topicConfig, recover,
                    recoveryPoints.getOrDefault(name, 0L), logStarts.getOrDefault(name, 0L)));
        }
        register(new DefaultTopic(metadata, topicConfig, partitions));
    }

    private void register(DefaultTopic topic) {
        topics.put(topic.name(), topic);
        topicsById.put(topic.id(), topic);
        LogConfig topicConfig = topic.config();
        if (topicConfig.flushPolicy() == FlushPolicy.ASYNC) {
            flushers.put(topic.name(), scheduler.scheduleWithFixedDelay(() -> flushTopic(topic),
                    topicConfig.flushMs(), topicConfig.flushMs(), TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public Topic createTopic(String name, int partitions, Map<String, String> configOverrides) {
        TopicNames.validate(name);
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic '" + name + "' needs at least one partition, not " + partitions);
        }
        Map<String, String> overrides = new TreeMap<>(configOverrides);
        LogConfig topicConfig = config.defaults().withOverrides(overrides);
        synchronized (lifecycleLock) {
            if (closed) {
                throw new IllegalStateException("The log in " + config.dir() + " is closed");
            }
            if (topics.containsKey(name)) {
                throw new TopicExistsException(name);
            }
            TopicMetadata metadata = new TopicMetadata(name, UUID.randomUUID(), partitions, Map.copyOf(overrides));
            try {
                DefaultTopic topic = new TopicDirectory(config.dir()).create(metadata,
                        (p, dir) -> loader.load(name, p, dir, topicConfig, false, 0, 0), topicConfig);
                register(topic);
                LOG.info("Created {} with overrides {}", topic, overrides);
                return topic;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create topic '" + name + "' with " + partitions
                        + " partitions in " + config.dir() + " (nothing was created): " + e, e);
            }
        }
    }

    @Override
    public boolean deleteTopic(String name) {
        synchronized (lifecycleLock) {
            if (closed) {
                throw new IllegalStateException("The log in " + config.dir() + " is closed");
            }
            DefaultTopic topic = topics.remove(name);
            if (topic == null) {
                return false;
            }
            topicsById.remove(topic.id());
            ScheduledFuture<?> flusher = flushers.remove(name);
            if (flusher != null) {
                flusher.cancel(false);
            }
            try {
                deletedTopics.put(topic, new TopicDirectory(config.dir()).retire(topic.metadata()));
                checkpointLogStartOffsetsNow();
                checkpointCleanerOffsets();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete topic '" + name + "' in " + config.dir(), e);
            }
            scheduler.schedule(() -> destroy(topic), config.fileDeleteDelayMs(), TimeUnit.MILLISECONDS);
            LOG.info("Deleted {}; its files go in {} ms", topic, config.fileDeleteDelayMs());
            return true;
        }
    }

    @Override
    public Topic createPartitions(String name, int newTotal) {
        synchronized (lifecycleLock) {
            DefaultTopic topic = liveTopic(name);
            if (newTotal <= topic.partitionCount()) {
                throw new IllegalArgumentException("Topic '" + name + "' has " + topic.partitionCount()
                        + " partitions; the new count must be larger, not " + newTotal);
            }
            TopicMetadata grown = topic.metadata().withPartitions(newTotal);
            LogConfig topicConfig = topic.config();
            try {
                List<DefaultPartitionLog> partitions = new ArrayList<>(topic.partitions());
                partitions.addAll(new TopicDirectory(config.dir()).addPartitions(topic.metadata(), grown,
                        (p, dir) -> loader.load(name, p, dir, topicConfig, false, 0, 0)));
                DefaultTopic replaced = new DefaultTopic(grown, topicConfig, partitions);
                replace(replaced);
                LOG.info("Grew {} from {} partitions", replaced, topic.partitionCount());
                return replaced;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot grow topic '" + name + "' from " + topic.partitionCount()
                        + " to " + newTotal + " partitions in " + config.dir() + " (nothing was added): " + e, e);
            }
        }
    }

    @Override
    public Topic alterTopicConfig(String name, Map<String, String> overrides) {
        LogConfig topicConfig = config.defaults().withOverrides(overrides);
        synchronized (lifecycleLock) {
            DefaultTopic topic = liveTopic(name);
            TopicMetadata altered = topic.metadata().withOverrides(overrides);
            try {
                new TopicDirectory(config.dir()).storeMetadata(altered);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot store the config of topic '" + name + "' in " + config.dir(), e);
            }
            for (DefaultPartitionLog partition : topic.partitions()) {
                partition.config(topicConfig);
            }
            DefaultTopic replaced = new DefaultTopic(altered, topicConfig, topic.partitions());
            replace(replaced);
            LOG.info("Altered the config of {}: overrides now {}", replaced, altered.overrides());
            if (topicConfig.cleanupPolicy().compacts()) {
                cleaner.wakeUp(); // the new settings may make a partition due now
            }
            return replaced;
        }
    }

    private DefaultTopic liveTopic(String name) {
        if (closed) {
            throw new IllegalStateException("The log in " + config.dir() + " is closed");
        }
        DefaultTopic topic = topics.get(name);
        if (topic == null) {
            throw new UnknownTopicException(name);
        }
        return topic;
    }

    /** Swaps in a new snapshot of a live topic, rescheduling its flusher for the new config. */
    private void replace(DefaultTopic topic) {
        ScheduledFuture<?> flusher = flushers.remove(topic.name());
        if (flusher != null) {
            flusher.cancel(false);
        }
        register(topic);
    }

    private void destroy(DefaultTopic topic) {
        List<Path> dirs = deletedTopics.get(topic);
        if (dirs == null) {
            return;
        }
        try {
            for (DefaultPartitionLog partition : topic.partitions()) {
                partition.discard();
            }
            for (Path dir : dirs) {
                TopicDirectory.deleteRecursively(dir);
            }
        } catch (IOException e) {
            LOG.error("Could not delete the files of deleted {}; the next open removes them", topic, e);
        } finally {
            deletedTopics.remove(topic);
        }
    }

    @Override
    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    @Override
    public Optional<Topic> topic(UUID id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    @Override
    public Collection<Topic> topics() {
        return List.copyOf(topics.values());
    }

    @Override
    public LogConfig defaultConfig() {
        return config.defaults();
    }

    @Override
    public Path directory() {
        return config.dir();
    }

    /**
     * {@inheritDoc}
     *
     * @throws UncheckedIOException if a partition could not be forced; the marker is then not written
     */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        cleaner.close();
        scrubThrottler.stop();
        scrubberThread.shutdown();
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Background log work did not stop within 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reaper.destroyAll();
        deletedTopics.keySet().forEach(this::destroy);
        IOException failure = closeAllPartitions();
        if (failure != null) {
            throw new UncheckedIOException("Closing the log in " + config.dir()
                    + " failed; the next open will recover", failure);
        }
        List<DefaultPartitionLog> offline = offlinePartitions();
        try {
            checkpointRecoveryPointsNow();
            checkpointLogStartOffsetsNow();
            if (offline.isEmpty()) {
                FileIo.writeAtomically(config.dir().resolve(CLEAN_SHUTDOWN), new byte[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the clean shutdown marker in " + config.dir(), e);
        }
        if (offline.isEmpty()) {
            LOG.info("Closed the log in {}", config.dir());
        } else {
            LOG.warn("Closed the log in {} without the clean-shutdown marker because {} partition(s) are offline"
                    + " after a failed fsync or cut-back ({}): the next start re-validates the tails from disk",
                    config.dir(), offline.size(), offline);
        }
    }

    private List<DefaultPartitionLog> offlinePartitions() {
        List<DefaultPartitionLog> offline = new ArrayList<>();
        for (DefaultTopic topic : topics.values()) {
            for (DefaultPartitionLog partition : topic.partitions()) {
                if (partition.isOffline()) {
                    offline.add(partition);
                }
            }
        }
        return offline;
    }

    private IOException closeAllPartitions() {
        IOException failure = null;
        for (DefaultTopic topic : topics.values()) {
            for (DefaultPartitionLog partition : topic.partitions()) {
                try {
                    partition.close();
                } catch (IOException e) {
                    LOG.error("Could not close {} cleanly", partition, e);
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        return failure;
    }

    private void closePartitionsAfterFailure(Exception cause) {
        IOException failure = closeAllPartitions();
        if (failure != null) {
            cause.addSuppressed(failure);
        }
    }

    /**
     * The periodic flush of an ASYNC topic. A failure takes the partition offline, which the
     * partition logs once; offline partitions are skipped, as their data is never forced again.
     */
    private void flushTopic(DefaultTopic topic) {
        for (DefaultPartitionLog partition : topic.partitions()) {
            if (partition.isOffline()) {
                continue;
            }
            try {
                partition.flush();
            } catch (LogOfflineException e) {
                // logged by the partition as it went offline; its next append fails with it
            } catch (IOException | RuntimeException e) {
                LOG.error("Periodic flush of {} failed", partition, e);
            }
        }
    }

    private void checkRetention() {
        long now = config.clock().millis();
        for (DefaultTopic topic : topics.values()) {
            for (DefaultPartitionLog partition : topic.partitions()) {
                try {
                    partition.applyRetention(now);
                    partition.releaseInactiveIndexFiles();
                } catch (IOException | RuntimeException e) {
                    LOG.error("Retention of {} failed", partition, e);
                }
            }
        }
    }

    /**
     * Recovery may have cut below an old recovery point: the checkpoint is replaced before any append.
     * A broker stopped on a full disk must still start and serve reads, so a checkpoint that cannot be
     * written does not stop the open: the old recovery point file is deleted instead (the next unclean
     * start then validates every segment, which is always safe), and the old log start file stays (it
     * was written whenever a log start moved, so it still holds them). One WARN line says so.
     */
    private void writeStartupCheckpoints() throws IOException {
        try {
            checkpointRecoveryPointsNow();
        } catch (IOException e) {
            Files.deleteIfExists(config.dir().resolve(RecoveryPointCheckpoint.FILE_NAME));
            LOG.warn("Could not write the recovery point checkpoint in {} ({}); deleted the old one, so the next "
                    + "unclean start validates every segment", config.dir(), e.toString());
        }
        try {
            checkpointLogStartOffsetsNow();
        } catch (IOException e) {
            LOG.warn("Could not rewrite the log start checkpoint in {} ({}); the one written when the log starts "
                    + "last moved stays", config.dir(), e.toString());
        }
    }

    private void checkpointRecoveryPoints() {
        try {
            checkpointRecoveryPointsNow();
        } catch (IOException e) {
            LOG.error("Could not write the recovery point checkpoint in {}", config.dir(), e);
        }
    }

    /**
     * Writes every partition's recovery point now (internal; the scheduler calls it every minute).
     * First flushes each partition whose data the pipeline forced without its indexes
     * ({@link DefaultPartitionLog#forceData()}), so that its recovery point catches up: sync topics
     * have no periodic flusher, and their recovery points would otherwise stay where the log opened.
     */
    void checkpointRecoveryPointsNow() throws IOException {
        List<DefaultPartitionLog> partitions = new ArrayList<>();
        for (DefaultTopic topic : topics.values()) {
            partitions.addAll(topic.partitions());
        }
        for (DefaultPartitionLog partition : partitions) {
            if (partition.indexesBehindData() && !partition.isOffline()) {
                try {
                    partition.flush();
                } catch (LogOfflineException e) {
                    // logged by the partition as it went offline; its recovery point stays
                } catch (IOException | RuntimeException e) {
                    LOG.error("Flush of {} before the recovery point checkpoint failed", partition, e);
                }
            }
        }
        RecoveryPointCheckpoint.write(config.dir(), partitions);
    }

    private void applyCleanerOffsets(Map<String, Long> offsets) {
        for (DefaultTopic topic : topics.values()) {
            for (DefaultPartitionLog partition : topic.partitions()) {
                Long offset = offsets.get(TopicNames.partitionDir(topic.name(), partition.partition()));
                if (offset != null) {
                    partition.firstDirtyOffset(Math.min(offset, partition.logEndOffset()));
                }
            }
        }
    }

    /** Writes the cleaner's position in every compacted partition (see {@link CleanerOffsetCheckpoint}); after each clean. */
    private void checkpointCleanerOffsets() {
        synchronized (cleanerCheckpointLock) {
            List<DefaultPartitionLog> partitions = new ArrayList<>();
            for (DefaultTopic topic : topics.values()) {
                if (topic.config().cleanupPolicy().compacts()) {
                    partitions.addAll(topic.partitions());
                }
            }
            try {
                CleanerOffsetCheckpoint.write(config.dir(), partitions);
            } catch (IOException e) {
                LOG.warn("Could not write {} in {}; the next start cleans the compacted partitions in full",
                        CleanerOffsetCheckpoint.FILE_NAME, config.dir(), e);
            }
        }
    }

    /** Writes every partition's log start offset now (see {@link LogStartOffsetCheckpoint}). */
    void checkpointLogStartOffsetsNow() throws IOException {
        synchronized (startOffsetLock) {
            List<DefaultPartitionLog> partitions = new ArrayList<>();
            for (DefaultTopic topic : topics.values()) {
                partitions.addAll(topic.partitions());
            }
            LogStartOffsetCheckpoint.write(config.dir(), partitions);
        }
    }

    private void scrubInBackground() {
        try {
            synchronized (scrubber) {
                scrubber.scrubAll();
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.warn("Scrub pass failed; the next pass retries: {}", e.toString());
        }
    }

    /** Runs one scrub pass now on the caller's thread (internal; tests). Returns damaged ranges found. */
    int scrubNow() throws InterruptedException {
        synchronized (scrubber) {
            return scrubber.scrubAll();
        }
    }

    @Override
    public long damagedRanges() {
        long total = 0;
        for (DefaultTopic topic : topics.values()) {
            for (DefaultPartitionLog partition : topic.partitions()) {
                for (LogSegment segment : partition.segments()) {
                    total += segment.damage().size();
                }
            }
        }
        return total;
    }

    /** Deleted topics whose files are not deleted yet (internal accessor). */
    int topicsAwaitingDeletion() {
        return deletedTopics.size();
    }

    /** Runs one retention pass now, on the caller's thread (internal; tests use it with a fake clock). */
    void checkRetentionNow() {
        checkRetention();
    }

    /**
     * Cleans every due partition of the compacted topics now, on the caller's thread, until none
     * is due (internal; tests use it with the background cleaner disabled). Returns the number
     * of cleans.
     */
    int cleanNow() throws InterruptedException {
        PartitionCleaner own = cleaner.newPartitionCleaner();
        int cleans = 0;
        while (cleaner.cleanOnce(own)) {
            cleans++;
        }
        return cleans;
    }

    /** Number of partition cleans the background cleaner completed (internal accessor). */
    long backgroundCleans() {
        return cleaner.cleans();
    }

    /** Whether open found no clean-shutdown marker and validated every segment (internal accessor). */
    public boolean recoveredOnOpen() {
        return recoveredOnOpen;
    }

    /** Segments validated batch by batch during open, for recovery or an index rebuild (internal accessor). */
    public long segmentsValidatedOnOpen() {
        return loader.segmentsRecovered();
    }

    /** Retired segments whose files are not deleted yet (internal accessor). */
    int segmentsAwaitingDeletion() {
        return reaper.pendingCount();
    }
}
