/**
 * The Kafka share-group APIs (KIP-932) over the broker's one share engine
 * ({@link io.tributary.spi.BrokerServices#shares()}): ShareGroupHeartbeat, ShareGroupDescribe, ShareFetch
 * and ShareAcknowledge. Translates topic ids and Kafka error codes; the delivery decisions are the
 * engine's ({@code io.tributary.delivery.share}). Share sessions (the client's incremental partition
 * lists) live here, as they are a Kafka wire concept; so every partition they serve is checked here against
 * {@code RequestContext.mayReadTopic}, which the authorization gate answers (decision 0036). So does the JMS side of broker-side selectors
 * ({@link io.tributary.kafka.share.MemberSelectors}: a member's selector from its client id, evaluated with
 * {@code jms-selector} over the record headers as the JMS mapping reads them), which reaches the engine as a
 * protocol-free per-offset {@code RecordFilter}.
 */
package io.tributary.kafka.share;
