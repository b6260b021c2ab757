package io.tributary.security.tls;

import io.tributary.security.Principal;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The server side of one TLS listener: an {@link SSLContext} built once from a {@link TlsConfig},
 * and a new {@link SSLEngine} per connection with the configured protocols, cipher suites and
 * client authentication.
 */
public final class ServerTls {
    private final SSLContext context;
    private final TlsConfig config;
    private final String[] protocols;
    private final KeyManagerFactory keys;
    private final TrustManagerFactory trust;

    private ServerTls(SSLContext context, TlsConfig config, String[] protocols, KeyManagerFactory keys,
                      TrustManagerFactory trust) {
        this.context = context;
        this.config = config;
        this.protocols = protocols;
        this.keys = keys;
        this.trust = trust;
    }

    /**
     * Loads the stores and builds the context.
     *
     * @throws GeneralSecurityException if a store cannot be read (wrong password, wrong type, bad PEM),
     *                                  or none of {@code ssl.enabled.protocols} is available
     */
    public static ServerTls create(TlsConfig config) throws GeneralSecurityException, IOException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(config.keyManagerAlgorithm());
        keys.init(config.keystore().load(), config.keystore().keyPasswordForStore());
        TrustManagerFactory trust = null;
        if (config.truststore() != null) {
            trust = TrustManagerFactory.getInstance(config.trustManagerAlgorithm());
            trust.init(config.truststore().load());
        }
        SSLContext context = SSLContext.getInstance(config.protocol());
        context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        List<String> protocols = new ArrayList<>();
        for (String p : config.enabledProtocols()) {
            if (supported.contains(p)) {
                protocols.add(p);
            }
        }
        if (protocols.isEmpty()) {
            throw new GeneralSecurityException("None of ssl.enabled.protocols " + config.enabledProtocols()
                    + " is supported by this JDK (" + supported + ")");
        }
        return new ServerTls(context, config, protocols.toArray(String[]::new), keys, trust);
    }

    /** A server-mode engine for one new connection. */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(protocols);
        if (!config.cipherSuites().isEmpty()) {
            engine.setEnabledCipherSuites(config.cipherSuites().toArray(String[]::new));
        }
        switch (config.clientAuth()) {
            case REQUIRED -> engine.setNeedClientAuth(true);
            case REQUESTED -> engine.setWantClientAuth(true);
            case NONE -> engine.setWantClientAuth(false);
        }
        return engine;
    }

    /** The loaded key store, for another TLS implementation built from the same material (OpenSSL). */
    public KeyManagerFactory keyManagerFactory() {
        return keys;
    }

    /** The loaded trust store, or {@code null} when none is configured. */
    public TrustManagerFactory trustManagerFactory() {
        return trust;
    }

    /** {@code ssl.enabled.protocols} that this JDK supports, in their configured order. */
    public List<String> protocols() {
        return List.of(protocols);
    }

    /** {@code ssl.cipher.suites}; empty for the implementation's defaults. */
    public List<String> cipherSuites() {
        return config.cipherSuites();
    }

    /** {@code ssl.client.auth}. */
    public ClientAuth clientAuth() {
        return config.clientAuth();
    }

    /** The principal of a finished handshake: the client certificate's subject, else ANONYMOUS. */
    public static Principal principal(SSLSession session) {
        try {
            Certificate[] peer = session.getPeerCertificates();
            if (peer.length > 0 && peer[0] instanceof X509Certificate x509) {
                return Principal.user(x509.getSubjectX500Principal().getName());
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate: anonymous, as in Kafka
        }
        return Principal.ANONYMOUS;
    }
}
