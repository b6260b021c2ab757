/**
 * Internal, JDK-only reading and writing of uncompressed Kafka v2 record batches, so that the
 * delivery module can keep its state in internal topics of the log without kafka-clients.
 *
 * <p>Not a general codec: it writes only what delivery needs (no compression, no producer id, no
 * transactions) and reads back only uncompressed batches. Depends on core-log's
 * {@link io.tributary.log.RecordBatchHeader} and the JDK.
 */
package io.tributary.delivery.internal.records;
