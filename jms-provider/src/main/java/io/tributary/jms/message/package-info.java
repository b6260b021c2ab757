/**
 * The JMS message types, their headers, properties and the conversion rules between property types. No Kafka
 * types here: {@code io.tributary.jms.MessageCodec} maps a message to a record.
 */
package io.tributary.jms.message;
