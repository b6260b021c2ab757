/**
 * SASL servers: PLAIN against the static users of a JAAS line ({@link io.tributary.security.sasl.JaasConfig}),
 * SCRAM-SHA-256/512 (RFC 5802) against the durable {@link io.tributary.security.sasl.ScramCredentialStore}.
 * A protocol module creates one {@link io.tributary.security.sasl.SaslServerSession} per authentication
 * through {@link io.tributary.security.sasl.SaslMechanisms} and feeds it the client's tokens.
 */
package io.tributary.security.sasl;
