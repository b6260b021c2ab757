/**
 * The Tributary JMS provider: Jakarta Messaging 3.1 over the broker's Kafka listener. A connection uses the
 * kafka-clients library (a Kafka producer, an admin client, a Kafka consumer per message consumer); see
 * docs/decisions/0014 for why, docs/jms-mapping.md for how messages become records.
 *
 * <p>Depends on jakarta.jms-api, kafka-clients and {@code jms-selector}; no broker code.
 */
package io.tributary.jms;
