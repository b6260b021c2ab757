/**
 * TLS for listeners: Kafka's {@code ssl.*} settings ({@link io.tributary.security.tls.TlsConfig}),
 * key and trust stores in JKS, PKCS12 or PEM ({@link io.tributary.security.tls.KeyMaterial}), and
 * the server {@link javax.net.ssl.SSLContext} built from them ({@link io.tributary.security.tls.ServerTls}).
 */
package io.tributary.security.tls;
