package io.tributary.log;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The durable, partitioned log: a set of topics under one data directory.
 *
 * <pre>
 * log.dirs/
 *   meta.properties                 cluster id and node id (owned by the broker, not by this module)
 *   clean-shutdown                  present after a clean {@link #close()} with no partition offline; removed at open
 *   recovery-point-offset-checkpoint per partition, offset below which all was forced (every minute)
 *   log-start-offset-checkpoint     per partition, log start offset (after delete-records and topic deletion)
 *   cleaner-offset-checkpoint       per compacted partition, the offset up to which the cleaner has cleaned it
 *   &lt;topic&gt;-&lt;partition&gt;.&lt;id&gt;-delete/ a partition of a deleted topic, removed after file.delete.delay.ms
 *   &lt;topic&gt;-&lt;partition&gt;/
 *     topic.properties              topic id, partition count, config overrides (partition 0 only)
 *     00000000000000000000.log       record batches, as received, with offsets assigned
 *     00000000000000000000.index     sparse offset index (derived, rebuilt when in doubt)
 *     00000000000000000000.timeindex sparse time index (derived, rebuilt when in doubt)
 *     *.deleted                      a segment removed by retention or replaced by the cleaner, deleted after file.delete.delay.ms
 *     *.cleaned                      a segment the cleaner is writing; deleted at open
 *     *.swap                         a cleaned segment committed to replace the segments in its offset range; completed at open
 * </pre>
 *
 * <p>Opening the log loads every topic. After an unclean stop, the tail of each partition is
 * validated batch by batch (length, magic, CRC32C, offset continuity) and truncated at the first
 * invalid byte; indexes are rebuilt; each cut is logged with file, position and byte count.
 *
 * <p>Thread-safety: topic creation and lookups are safe from any thread. Appends to one partition
 * must come from a single thread (the pipeline's journal stage); reads may come from any thread.
 */
public interface LogManager extends AutoCloseable {

    /** Opens (creating if needed) the log under {@code config.dir()}, recovering it if it was not closed cleanly. */
    static LogManager open(LogManagerConfig config) {
        return io.tributary.log.internal.DefaultLogManager.open(config);
    }

    /**
     * Creates a topic with {@code partitions} partitions and the given topic-level overrides of the
     * default {@link LogConfig}, and persists its metadata before returning.
     *
     * @throws TopicExistsException   if the name is taken
     * @throws InvalidConfigException if an override is invalid
     * @throws IllegalArgumentException if the name or partition count is invalid
     */
    Topic createTopic(String name, int partitions, Map<String, String> configOverrides);

    /**
     * Deletes a topic. It leaves {@link #topics()} at once and its metadata is removed durably
     * before this returns, so it stays deleted after a crash; its partition directories are
     * renamed to {@code <topic>-<partition>.<id>-delete} and removed after
     * {@code file.delete.delay.ms}, so reads already holding a slice can finish. Appends to its
     * partitions must have stopped. The name can be reused at once.
     *
     * @return false if there is no such topic
     */
    boolean deleteTopic(String name);

    /**
     * Grows a topic to {@code newTotal} partitions. The new partitions are empty; the new count is
     * persisted before this returns. Appends to existing partitions may continue meanwhile.
     *
     * @return the topic with its new partition count
     * @throws UnknownTopicException    if there is no such topic
     * @throws IllegalArgumentException if {@code newTotal} is not larger than the current count
     * @throws UnsupportedOperationException from implementations that cannot (test doubles)
     */
    default Topic createPartitions(String topic, int newTotal) {
        throw new UnsupportedOperationException("createPartitions is not supported by " + getClass().getName());
    }

    /**
     * Replaces a topic's config overrides with {@code overrides} (keys absent from it revert to
     * the defaults). The overrides are persisted, then applied to the live partitions: the next
     * append, roll, flush and retention pass of each partition use the new values.
     *
     * @return the topic with its new configuration
     * @throws UnknownTopicException  if there is no such topic
     * @throws InvalidConfigException if an override is invalid; nothing changes then
     * @throws UnsupportedOperationException from implementations that cannot (test doubles)
     */
    default Topic alterTopicConfig(String topic, Map<String, String> overrides) {
        throw new UnsupportedOperationException("alterTopicConfig is not supported by " + getClass().getName());
    }

    Optional<Topic> topic(String name);

    /** The topic whose {@link Topic#id()} is {@code id}, if there is one. */
    default Optional<Topic> topic(UUID id) {
        return topics().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    Collection<Topic> topics();

    /** The defaults new topics inherit. */
    LogConfig defaultConfig();

    /** The directory the log was opened in ({@code config.dir()} of {@link #open}). */
    Path directory();

    /**
     * Clean shutdown: flushes every partition, writes indexes and the clean-shutdown marker so the
     * next open skips recovery. Appends must have stopped before this is called.
     *
     * <p>If a partition is offline ({@link PartitionLog#offlineReason()}), its files are closed
     * without being forced and the marker is not written (a WARN line says so), so the next open
     * validates the tails from disk as after a crash; the other partitions are closed as usual.
     */
    @Override
    void close();

    /**
     * Damaged ranges found so far in the stored segments by the scrubber or the read path (decision
     * 0018); reads touching them fail with {@link CorruptRecordException}. A metric.
     */
    default long damagedRanges() {
        return 0;
    }
}
