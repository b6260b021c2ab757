/**
 * Durable group state in the internal {@code __consumer_offsets} topic of the log: a binary codec
 * for {@link io.tributary.delivery.group.GroupRecord}s as record key/value pairs, and a
 * {@link io.tributary.delivery.group.GroupStore} that appends them through the ingest pipeline,
 * replays them with {@link io.tributary.log.PartitionLog#read}, and keeps the topic bounded by
 * copying its live records forward and moving the log start past the old ones
 * ({@link io.tributary.delivery.group.store.OffsetsLogWriter}), since the log has no compaction.
 * Depends on core-log, disruptor-pipeline, the {@code group} package and {@code internal.records}.
 */
package io.tributary.delivery.group.store;
