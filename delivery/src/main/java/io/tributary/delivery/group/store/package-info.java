/**
 * Durable group state in the internal {@code __consumer_offsets} topic of the log: a binary codec
 * for {@link io.tributary.delivery.group.GroupRecord}s as record key/value pairs, and a
 * {@link io.tributary.delivery.group.GroupStore} that appends them through the ingest pipeline,
 * replays them with {@link io.tributary.log.PartitionLog#read}; the topic is compacted by the log's
 * cleaner, which keeps it bounded.
 * Depends on core-log, disruptor-pipeline, the {@code group} package and {@code internal.records}.
 */
package io.tributary.delivery.group.store;
