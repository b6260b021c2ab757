package io.tributary.security.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key and trust stores made fresh for one test with the JDK's {@code keytool}: a self-signed server
 * certificate for {@code localhost} / {@code 127.0.0.1} and a self-signed client certificate
 * ({@code CN=client,OU=test}), each trusted by the other side's trust store. Nothing is committed;
 * everything lives in the test's temporary directory.
 */
public final class TestCertificates {
    public static final String PASSWORD = "test-password";
    public static final String CLIENT_DN = "CN=client,OU=test";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Generates everything under {@code dir}; takes a second or two (RSA key generation). */
    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCertificates c = new TestCertificates(dir);
        c.keytool("-genkeypair", "-keystore", "server.p12", "-storetype", "PKCS12", "-alias", "server",
                "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-validity", "30",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost");
        c.keytool("-genkeypair", "-keystore", "client.jks", "-storetype", "JKS", "-alias", "client",
                "-keyalg", "RSA", "-keysize", "2048", "-dname", CLIENT_DN, "-validity", "30");
        c.keytool("-exportcert", "-rfc", "-keystore", "server.p12", "-alias", "server", "-file", "server.crt");
        c.keytool("-exportcert", "-rfc", "-keystore", "client.jks", "-alias", "client", "-file", "client.crt");
        c.keytool("-importcert", "-noprompt", "-keystore", "client-trust.jks", "-storetype", "JKS", "-alias", "server",
                "-file", "server.crt");
        c.keytool("-importcert", "-noprompt", "-keystore", "server-trust.p12", "-storetype", "PKCS12",
                "-alias", "client", "-file", "client.crt");
        return c;
    }

    /** PKCS12: the server's key and self-signed certificate. */
    public Path serverKeystore() {
        return dir.resolve("server.p12");
    }

    /** PKCS12: trusts the client certificate. */
    public Path serverTruststore() {
        return dir.resolve("server-trust.p12");
    }

    /** JKS: the client's key and self-signed certificate. */
    public Path clientKeystore() {
        return dir.resolve("client.jks");
    }

    /** JKS: trusts the server certificate. */
    public Path clientTruststore() {
        return dir.resolve("client-trust.jks");
    }

    /** PEM: the server certificate alone (a trust store for clients such as librdkafka and kafkajs). */
    public Path serverCertificatePem() {
        return dir.resolve("server.crt");
    }

    /** PEM: the client certificate alone. */
    public Path clientCertificatePem() {
        return dir.resolve("client.crt");
    }

    /**
     * The server's private key (PKCS#8, unencrypted) followed by its certificate, as one PEM text,
     * the form of Kafka's {@code ssl.keystore.type=PEM} file.
     */
    public String serverKeyAndCertificatePem() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeystore())) {
            store.load(in, PASSWORD.toCharArray());
        }
        Key key = store.getKey("server", PASSWORD.toCharArray());
        StringBuilder pem = new StringBuilder(block("PRIVATE KEY", key.getEncoded()));
        for (Certificate certificate : store.getCertificateChain("server")) {
            pem.append(block("CERTIFICATE", certificate.getEncoded()));
        }
        return pem.toString();
    }

    private static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
