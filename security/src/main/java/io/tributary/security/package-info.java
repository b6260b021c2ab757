/**
 * Security that knows no protocol: TLS key material ({@link io.tributary.security.tls}), SASL
 * servers ({@link io.tributary.security.sasl}) and the principals they authenticate. Depends on the
 * JDK only; protocol modules plug these into their listeners and read their keys, by Kafka's names,
 * from the broker settings.
 */
package io.tributary.security;
