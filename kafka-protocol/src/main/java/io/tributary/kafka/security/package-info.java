/**
 * Kafka's security APIs over the protocol-free {@code security} module: SASL authentication of a
 * connection ({@link io.tributary.kafka.security.SaslAuthenticator}, one per connection on SASL
 * listeners, in front of the shared handlers), authorization ({@link io.tributary.kafka.security.AuthorizationGate}:
 * whole-request {@code ApiRules}, then per-resource {@code ResourceRule}s that take refused topics, groups,
 * transactional ids and config resources out of a request and answer them beside the rest; for the share
 * requests, whose sessions hold partitions the request does not name, READ on each topic offered to the handlers
 * as {@code RequestContext.mayReadTopic}), quotas, and the
 * ACL, SCRAM credential and client quota admin APIs. Depends on the {@code api}, {@code half} and
 * {@code network} packages of this module, on {@code security}, on {@code core-log} (topic lookups) and on
 * kafka-clients' message classes.
 */
package io.tributary.kafka.security;
