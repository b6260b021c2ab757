/**
 * The connection layer: frames ({@link io.tributary.kafka.network.FrameDecoder}), request decoding
 * with kafka-clients' generated classes ({@link io.tributary.kafka.network.RequestDecoder}),
 * in-order responses ({@link io.tributary.kafka.network.ConnectionHandler}) and their encoding
 * into Netty buffers and zero-copy file regions ({@link io.tributary.kafka.network.ResponseEncoder}).
 * Requests are decoded in place from the pooled network frame; a produce's record batches stay
 * views of it, kept valid by {@link io.tributary.kafka.network.FrameHold}s until the ingest
 * pipeline has written them.
 * Knows nothing of individual APIs beyond the advertised table and the Tributary extension keys, whose
 * requests it hands to {@link io.tributary.kafka.half.HalfRequests} to decode; depends on Netty,
 * kafka-clients and core-log's {@code LogSlice}.
 */
package io.tributary.kafka.network;
