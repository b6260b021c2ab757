package io.tributary.security.tls;

import io.tributary.security.Principal;
import io.tributary.security.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class ServerTlsTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
    }

    @Test
    void pkcs12KeystoreServesAClientThatTrustsIt() throws Exception {
        ServerTls tls = ServerTls.create(TlsConfig.fromKafkaKeys(serverKeys(), "SSL"));

        SSLEngine server = tls.newEngine();
        handshake(client(false), server);

        assertThat(ServerTls.principal(server.getSession())).isEqualTo(Principal.ANONYMOUS);
    }

    @Test
    void pemKeystoreInlineAndAsAFileServeTheSameCertificate() throws Exception {
        Map<String, String> inline = new HashMap<>();
        inline.put("ssl.keystore.type", "PEM");
        inline.put("ssl.keystore.key", certs.serverKeyAndCertificatePem());
        Path file = dir.resolve("server.pem");
        Files.writeString(file, certs.serverKeyAndCertificatePem());
        Map<String, String> fromFile = Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", file.toString());

        for (Map<String, String> keys : java.util.List.of(inline, fromFile)) {
            SSLEngine server = ServerTls.create(TlsConfig.fromKafkaKeys(keys, "SSL")).newEngine();
            handshake(client(false), server);
            assertThat(server.getSession().getLocalCertificates()).hasSize(1);
        }
    }

    @Test
    void requiredClientAuthNamesTheClientCertificateSubjectAndRefusesAClientWithout() throws Exception {
        Map<String, String> keys = serverKeys();
        keys.put("ssl.client.auth", "required");
        keys.put("ssl.truststore.type", "PKCS12");
        keys.put("ssl.truststore.location", certs.serverTruststore().toString());
        keys.put("ssl.truststore.password", TestCertificates.PASSWORD);
        ServerTls tls = ServerTls.create(TlsConfig.fromKafkaKeys(keys, "SSL"));

        SSLEngine server = tls.newEngine();
        handshake(client(true), server);
        assertThat(ServerTls.principal(server.getSession())).isEqualTo(Principal.user(TestCertificates.CLIENT_DN));

        assertThatThrownBy(() -> handshake(client(false), tls.newEngine())).isInstanceOf(SSLException.class);
    }

    @Test
    void listenerPrefixedKeyWinsOverTheBrokerWideOne() {
        Map<String, String> keys = serverKeys();
        keys.put("ssl.client.auth", "none");
        keys.put("listener.name.internal.ssl.client.auth", "requested");

        assertThat(TlsConfig.fromKafkaKeys(keys, "INTERNAL").clientAuth()).isEqualTo(ClientAuth.REQUESTED);
        assertThat(TlsConfig.fromKafkaKeys(keys, "EXTERNAL").clientAuth()).isEqualTo(ClientAuth.NONE);
    }

    @Test
    void wrongPasswordOrMissingKeystoreFailsWithTheKeyNamed() {
        Map<String, String> keys = serverKeys();
        keys.put("ssl.keystore.password", "wrong");
        assertThatThrownBy(() -> ServerTls.create(TlsConfig.fromKafkaKeys(keys, "SSL")))
                .isInstanceOfAny(GeneralSecurityException.class, java.io.IOException.class);

        assertThatThrownBy(() -> TlsConfig.fromKafkaKeys(Map.of(), "SSL"))
                .hasMessageContaining("ssl.keystore.location");
        assertThatThrownBy(() -> TlsConfig.fromKafkaKeys(Map.of("ssl.keystore.location", "x",
                "ssl.client.auth", "sometimes"), "SSL")).hasMessageContaining("ssl.client.auth");
    }

    private static Map<String, String> serverKeys() {
        Map<String, String> keys = new HashMap<>();
        keys.put("ssl.keystore.type", "PKCS12");
        keys.put("ssl.keystore.location", certs.serverKeystore().toString());
        keys.put("ssl.keystore.password", TestCertificates.PASSWORD);
        return keys;
    }

    private static SSLEngine client(boolean withCertificate) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(certs.clientTruststore(), "JKS"));
        KeyManagerFactory keys = null;
        if (withCertificate) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(certs.clientKeystore(), "JKS"), TestCertificates.PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        SSLEngine engine = context.createSSLEngine("localhost", 9093);
        engine.setUseClientMode(true);
        return engine;
    }

    private static KeyStore load(Path path, String type) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        return store;
    }

    /** Runs both engines against each other in memory until the handshake is done; throws what either throws. */
    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size * 4);
        ByteBuffer toClient = ByteBuffer.allocate(size * 4);
        ByteBuffer app = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 2);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 1000; round++) {
            step(client, empty, toServer, toClient, app);
            step(server, empty, toClient, toServer, app);
            if (finished(client) && finished(server)) {
                // A TLS 1.3 client learns of a rejected certificate only from the server's next flight.
                step(client, empty, toServer, toClient, app);
                return;
            }
        }
        throw new AssertionError("handshake did not finish");
    }

    private static boolean finished(SSLEngine engine) {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app)
            throws SSLException {
        engine.wrap(empty, out);
        runTasks(engine);
        in.flip();
        while (in.hasRemaining()) {
            SSLEngineResult result = engine.unwrap(in, app);
            runTasks(engine);
            app.clear();
            if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
        engine.wrap(empty, out);
        runTasks(engine);
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
