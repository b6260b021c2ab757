/**
 * Kafka's security APIs over the protocol-free {@code security} module: SASL authentication of a
 * connection ({@link io.tributary.kafka.security.SaslAuthenticator}, one per connection on SASL
 * listeners, in front of the shared handlers) and the SCRAM credential admin APIs. Depends on the
 * {@code api} and {@code network} packages of this module, on {@code security} and on kafka-clients'
 * message classes.
 */
package io.tributary.kafka.security;
