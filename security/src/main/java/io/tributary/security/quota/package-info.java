/**
 * Client quotas as Kafka has them: {@code producer_byte_rate}, {@code consumer_byte_rate} and
 * {@code request_percentage} per user, client id or (user, client id), with {@code <default>}
 * entities and Kafka's precedence ({@link ClientQuotas}), kept durably in the data directory
 * ({@link ClientQuotaStore}), measured over Kafka's sampled windows ({@link SampledRate}) and turned
 * into throttle times. Knows no protocol: the Kafka adapter records what each request costs and
 * applies the throttle time it gets back. Depends on the JDK only.
 */
package io.tributary.security.quota;
