package io.tributary.kafka.network;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.tributary.security.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

/**
 * The TLS of one listener as Netty handlers: OpenSSL (BoringSSL through netty-tcnative) when Netty can load
 * it, else the JDK's engine from {@link ServerTls}. Both are built from the same loaded stores, protocols,
 * cipher suites and client authentication, so every {@code ssl.*} key means the same on either; OpenSSL
 * encrypts the fetched bytes with less CPU and takes direct buffers without a copy. Netty's own
 * {@code -Dio.netty.handler.ssl.noOpenSsl=true} forces the JDK engine (the tests run both).
 */
public final class ListenerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerTls.class);
    /**
     * Plaintext bytes handed to each wrap: an OpenSSL engine turns them into several TLS records in one call
     * and one output buffer, instead of one 16 KiB record per call (the JDK engine still makes one per call).
     */
    private static final int OPENSSL_WRAP_BYTES = 256 * 1024;

    private final ServerTls jdk;
    private final SslContext openSsl;

    private ListenerTls(ServerTls jdk, SslContext openSsl) {
        this.jdk = jdk;
        this.openSsl = openSsl;
    }

    /**
     * The listener's TLS over {@code tls}: OpenSSL when available, else the JDK engine.
     *
     * @throws SSLException if OpenSSL is available but refuses the configuration (a cipher suite it does
     *                      not know, say): the listener does not start, rather than silently differ
     */
    public static ListenerTls create(ServerTls tls, String listener) throws SSLException {
        if (!OpenSsl.isAvailable()) {
            LOG.info("Listener {}: TLS by the JDK engine (OpenSSL not available: {})", listener,
                    OpenSsl.unavailabilityCause() == null ? "disabled" : OpenSsl.unavailabilityCause().toString());
            return new ListenerTls(tls, null);
        }
        SslContextBuilder builder = SslContextBuilder.forServer(tls.keyManagerFactory())
                .sslProvider(SslProvider.OPENSSL)
                .protocols(tls.protocols())
                .clientAuth(switch (tls.clientAuth()) {
                    case REQUIRED -> ClientAuth.REQUIRE;
                    case REQUESTED -> ClientAuth.OPTIONAL;
                    case NONE -> ClientAuth.NONE;
                });
        if (tls.trustManagerFactory() != null) {
            builder.trustManager(tls.trustManagerFactory());
        }
        if (!tls.cipherSuites().isEmpty()) {
            builder.ciphers(tls.cipherSuites());
        }
        SslContext context = builder.build();
        LOG.info("Listener {}: TLS by OpenSSL ({})", listener, OpenSsl.versionString());
        return new ListenerTls(tls, context);
    }

    /** Whether connections use OpenSSL. */
    public boolean openSsl() {
        return openSsl != null;
    }

    /** The handler for one new server-side connection. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        if (openSsl == null) {
            return new SslHandler(jdk.newEngine());
        }
        SslHandler handler = openSsl.newHandler(alloc);
        handler.setWrapDataSize(OPENSSL_WRAP_BYTES);
        return handler;
    }
}
