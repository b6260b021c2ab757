/**
 * The Kafka share-group APIs (KIP-932) over the broker's one share engine
 * ({@link io.tributary.spi.BrokerServices#shares()}): ShareGroupHeartbeat, ShareGroupDescribe, ShareFetch
 * and ShareAcknowledge. Translates topic ids and Kafka error codes; the delivery decisions are the
 * engine's ({@code io.tributary.delivery.share}). Share sessions (the client's incremental partition
 * lists) live here, as they are a Kafka wire concept.
 */
package io.tributary.kafka.share;
