/**
 * One handler per Kafka API ({@link io.tributary.kafka.api.ApiHandler}), the table of what is
 * advertised ({@link io.tributary.kafka.api.SupportedApis}) and the registry between them
 * ({@link io.tributary.kafka.api.ApiHandlers}). Handlers run on the connection's event loop, append
 * through the ingest pipeline, read from core-log, and hand file-writing admin work to the admin
 * executor. Depends on the network package, core-log, disruptor-pipeline, protocol-spi and kafka-clients.
 */
package io.tributary.kafka.api;
