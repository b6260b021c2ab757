/**
 * The durable partitioned log: topics, partitions, segments and their sparse indexes.
 *
 * <p>Public API of the {@code core-log} module. Depends on the JDK, slf4j and (for
 * {@link io.tributary.log.BatchCompression}) the compression libraries of kafka-clients; knows no
 * protocol. The stored unit is the Kafka v2 record batch ({@link io.tributary.log.RecordBatchHeader}),
 * so higher layers hand batches in and get file slices back.
 */
package io.tributary.log;
