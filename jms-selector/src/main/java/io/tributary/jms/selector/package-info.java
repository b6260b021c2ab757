/**
 * The JMS message selector language (Jakarta Messaging 3.1, section 3.8.1): {@link
 * io.tributary.jms.selector.Selector#parse} turns a selector into an expression tree, and {@link
 * io.tributary.jms.selector.Selector#matches} evaluates it against a message's header fields and properties
 * with SQL's three-valued logic.
 *
 * <p>Depends on the JDK only, so that both the JMS provider (client-side filtering for topic subscribers) and
 * the broker's Kafka adapter ({@code kafka-protocol}, which evaluates the selectors of queue receivers and shared
 * subscriptions for the delivery engine) can use it.
 */
package io.tributary.jms.selector;
