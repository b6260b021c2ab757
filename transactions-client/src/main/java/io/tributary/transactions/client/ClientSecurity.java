package io.tributary.transactions.client;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the client reaches the broker, from the properties a kafka-clients producer takes for the same listener:
 *
 * <table>
 *   <caption>properties read</caption>
 *   <tr><td>{@code security.protocol}</td><td>{@code PLAINTEXT} (default), {@code SSL}, {@code SASL_PLAINTEXT}, {@code SASL_SSL}</td></tr>
 *   <tr><td>{@code ssl.truststore.location / .password / .type}</td><td>whom to trust (default: the JDK's trusted CAs; type {@code JKS})</td></tr>
 *   <tr><td>{@code ssl.keystore.location / .password / .type}, {@code ssl.key.password}</td><td>a client certificate, for listeners with {@code ssl.client.auth}</td></tr>
 *   <tr><td>{@code ssl.protocol}, {@code ssl.enabled.protocols}</td><td>default {@code TLSv1.3}; {@code TLSv1.2,TLSv1.3}</td></tr>
 *   <tr><td>{@code ssl.endpoint.identification.algorithm}</td><td>{@code https} (default: the certificate must name the host) or empty (not checked)</td></tr>
 *   <tr><td>{@code sasl.mechanism}</td><td>{@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512} (kafka-clients' default, GSSAPI, is not supported)</td></tr>
 *   <tr><td>{@code sasl.jaas.config}</td><td>a {@code PlainLoginModule} or {@code ScramLoginModule} line: its {@code username} and {@code password}</td></tr>
 * </table>
 * Other properties are ignored, so a kafka-clients configuration can be passed whole. PEM stores and
 * {@code sasl.login.*} callbacks are not supported.
 */
final class ClientSecurity {
    static final ClientSecurity PLAINTEXT = new ClientSecurity(false, null, false, null, null, null, Set.of());

    private static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final Pattern JAAS_OPTION = Pattern.compile("([A-Za-z_.]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s;\"]+))");

    private final boolean sasl;
    private final SSLContext ssl;
    private final boolean checkHostname;
    final String mechanism;
    final String username;
    final String password;
    private final Set<String> protocols;

    private ClientSecurity(boolean sasl, SSLContext ssl, boolean checkHostname, String mechanism, String username,
                           String password, Set<String> protocols) {
        this.sasl = sasl;
        this.ssl = ssl;
        this.checkHostname = checkHostname;
        this.mechanism = mechanism;
        this.username = username;
        this.password = password;
        this.protocols = protocols;
    }

    /** @throws IllegalArgumentException for a protocol or mechanism not supported, or stores that cannot be read */
    static ClientSecurity from(Properties config) {
        String protocol = config.getProperty("security.protocol", "PLAINTEXT").trim().toUpperCase(Locale.ROOT);
        boolean tls;
        boolean sasl;
        switch (protocol) {
            case "PLAINTEXT" -> { tls = false; sasl = false; }
            case "SSL" -> { tls = true; sasl = false; }
            case "SASL_PLAINTEXT" -> { tls = false; sasl = true; }
            case "SASL_SSL" -> { tls = true; sasl = true; }
            default -> throw new IllegalArgumentException("security.protocol " + protocol + " is not one of PLAINTEXT, SSL, "
                    + "SASL_PLAINTEXT, SASL_SSL");
        }
        SSLContext context = tls ? sslContext(config) : null;
        boolean checkHostname = "https".equalsIgnoreCase(
                config.getProperty("ssl.endpoint.identification.algorithm", "https").trim());
        Set<String> protocols = Set.of(config.getProperty("ssl.enabled.protocols", "TLSv1.2,TLSv1.3").split("\\s*,\\s*"));
        if (!sasl) {
            return new ClientSecurity(false, context, checkHostname, null, null, null, protocols);
        }
        String mechanism = config.getProperty("sasl.mechanism", "GSSAPI").trim().toUpperCase(Locale.ROOT);
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("sasl.mechanism " + mechanism + " is not supported; use one of " + MECHANISMS);
        }
        Map<String, String> options = jaasOptions(config.getProperty("sasl.jaas.config"));
        String username = options.get("username");
        String password = options.get("password");
        if (username == null || password == null) {
            throw new IllegalArgumentException("sasl.jaas.config must give a username and a password");
        }
        return new ClientSecurity(true, context, checkHostname, mechanism, username, password, protocols);
    }

    /** The options of a JAAS line {@code LoginModule required key="value" ...;}, values unescaped. */
    static Map<String, String> jaasOptions(String jaas) {
        if (jaas == null) {
            throw new IllegalArgumentException("sasl.jaas.config is required with SASL");
        }
        Map<String, String> options = new java.util.HashMap<>();
        Matcher m = JAAS_OPTION.matcher(jaas);
        while (m.find()) {
            String value = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
            options.put(m.group(1), value);
        }
        return options;
    }

    boolean sasl() {
        return sasl;
    }

    /** {@code tcp} as is, or wrapped in TLS with the handshake done (the certificate checked against {@code host}). */
    Socket secure(Socket tcp, String host, int port) throws IOException {
        if (ssl == null) {
            return tcp;
        }
        SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(tcp, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        if (checkHostname) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        parameters.setProtocols(protocols.stream().filter(p -> Set.of(socket.getSupportedProtocols()).contains(p))
                .toArray(String[]::new));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static SSLContext sslContext(Properties config) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store(config, "ssl.truststore"));
            KeyManagerFactory keys = null;
            KeyStore keyStore = store(config, "ssl.keystore");
            if (keyStore != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = config.getProperty("ssl.key.password", config.getProperty("ssl.keystore.password", ""));
                keys.init(keyStore, keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance(config.getProperty("ssl.protocol", "TLSv1.3"));
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS from the ssl.* properties: " + e, e);
        }
    }

    /** The store {@code prefix}.location names, or null (the JDK default) when none is named. */
    private static KeyStore store(Properties config, String prefix) throws GeneralSecurityException, IOException {
        String location = config.getProperty(prefix + ".location");
        if (location == null || location.isBlank()) {
            return null;
        }
        KeyStore store = KeyStore.getInstance(config.getProperty(prefix + ".type", "JKS"));
        String password = config.getProperty(prefix + ".password");
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
