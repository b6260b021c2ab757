/**
 * {@code --transport jms}: the same workloads through the Tributary JMS provider (Jakarta Messaging
 * over the Kafka listener). Topic administration goes through the Kafka transport.
 */
package io.tributary.perf.transport.jms;
