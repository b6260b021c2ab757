package io.tributary.security.tls;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One TLS listener's settings, read under Kafka's names: {@code listener.name.<listener>.<key>}
 * (listener name in lower case) wins over the broker-wide {@code <key>}, as in Kafka.
 *
 * @param keystore              the server's key and certificate chain ({@code ssl.keystore.*}, {@code ssl.key.password})
 * @param truststore            certificates trusted for client authentication ({@code ssl.truststore.*});
 *                              {@code null}: the JDK's default trust store
 * @param clientAuth            {@code ssl.client.auth}
 * @param protocol              {@code ssl.protocol}, the {@link javax.net.ssl.SSLContext} algorithm
 * @param enabledProtocols      {@code ssl.enabled.protocols}
 * @param cipherSuites          {@code ssl.cipher.suites}; empty: the JDK's defaults
 * @param keyManagerAlgorithm   {@code ssl.keymanager.algorithm}
 * @param trustManagerAlgorithm {@code ssl.trustmanager.algorithm}
 */
public record TlsConfig(KeyMaterial keystore, KeyMaterial truststore, ClientAuth clientAuth, String protocol,
                        List<String> enabledProtocols, List<String> cipherSuites, String keyManagerAlgorithm,
                        String trustManagerAlgorithm) {
    public static final String KEYSTORE_TYPE = "ssl.keystore.type";
    public static final String KEYSTORE_LOCATION = "ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "ssl.keystore.password";
    public static final String KEYSTORE_KEY = "ssl.keystore.key";
    public static final String KEYSTORE_CERTIFICATE_CHAIN = "ssl.keystore.certificate.chain";
    public static final String KEY_PASSWORD = "ssl.key.password";
    public static final String TRUSTSTORE_TYPE = "ssl.truststore.type";
    public static final String TRUSTSTORE_LOCATION = "ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "ssl.truststore.password";
    public static final String TRUSTSTORE_CERTIFICATES = "ssl.truststore.certificates";
    public static final String CLIENT_AUTH = "ssl.client.auth";
    public static final String PROTOCOL = "ssl.protocol";
    public static final String ENABLED_PROTOCOLS = "ssl.enabled.protocols";
    public static final String CIPHER_SUITES = "ssl.cipher.suites";
    public static final String KEYMANAGER_ALGORITHM = "ssl.keymanager.algorithm";
    public static final String TRUSTMANAGER_ALGORITHM = "ssl.trustmanager.algorithm";

    /** Every key read here, without the listener prefix. */
    public static final Set<String> KEYS = Set.of(KEYSTORE_TYPE, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_KEY,
            KEYSTORE_CERTIFICATE_CHAIN, KEY_PASSWORD, TRUSTSTORE_TYPE, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD,
            TRUSTSTORE_CERTIFICATES, CLIENT_AUTH, PROTOCOL, ENABLED_PROTOCOLS, CIPHER_SUITES, KEYMANAGER_ALGORITHM,
            TRUSTMANAGER_ALGORITHM);

    public TlsConfig {
        enabledProtocols = List.copyOf(enabledProtocols);
        cipherSuites = List.copyOf(cipherSuites);
    }

    /**
     * Reads the settings of listener {@code listenerName} from {@code settings}.
     *
     * @throws IllegalArgumentException naming the key when the key store is missing or a value is invalid
     */
    public static TlsConfig fromKafkaKeys(Map<String, String> settings, String listenerName) {
        Lookup get = new Lookup(settings, listenerName);
        KeyMaterial keystore;
        String keystoreType = get.or(KEYSTORE_TYPE, "JKS");
        try {
            if (get.value(KEYSTORE_KEY) != null) {
                keystore = new KeyMaterial("PEM", null, null, chars(get.value(KEY_PASSWORD)),
                        get.value(KEYSTORE_KEY) + "\n" + get.or(KEYSTORE_CERTIFICATE_CHAIN, ""));
            } else if (get.value(KEYSTORE_LOCATION) != null) {
                keystore = new KeyMaterial(keystoreType, Path.of(get.value(KEYSTORE_LOCATION)),
                        chars(get.value(KEYSTORE_PASSWORD)), chars(get.value(KEY_PASSWORD)), null);
            } else {
                throw new IllegalArgumentException("listener " + listenerName + " uses TLS but neither "
                        + get.name(KEYSTORE_LOCATION) + " nor " + get.name(KEYSTORE_KEY) + " is set");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(get.name(KEYSTORE_TYPE) + ": " + e.getMessage(), e);
        }
        KeyMaterial truststore = null;
        String truststoreType = get.or(TRUSTSTORE_TYPE, "JKS");
        if (get.value(TRUSTSTORE_CERTIFICATES) != null) {
            truststore = new KeyMaterial("PEM", null, null, null, get.value(TRUSTSTORE_CERTIFICATES));
        } else if (get.value(TRUSTSTORE_LOCATION) != null) {
            truststore = new KeyMaterial(truststoreType, Path.of(get.value(TRUSTSTORE_LOCATION)),
                    chars(get.value(TRUSTSTORE_PASSWORD)), null, null);
        }
        return new TlsConfig(keystore, truststore, ClientAuth.parse(get.or(CLIENT_AUTH, "none")),
                get.or(PROTOCOL, "TLSv1.3"), get.list(ENABLED_PROTOCOLS, "TLSv1.2,TLSv1.3"),
                get.list(CIPHER_SUITES, ""), get.or(KEYMANAGER_ALGORITHM,
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm()),
                get.or(TRUSTMANAGER_ALGORITHM, javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm()));
    }

    private static char[] chars(String value) {
        return value == null ? null : value.toCharArray();
    }

    /** Listener-prefixed key first, then the plain one; blank counts as unset. */
    private record Lookup(Map<String, String> settings, String listener) {
        String name(String key) {
            return "listener.name." + listener.toLowerCase(Locale.ROOT) + "." + key;
        }

        String value(String key) {
            String v = settings.get(name(key));
            if (v == null || v.isBlank()) {
                v = settings.get(key);
            }
            return v == null || v.isBlank() ? null : v.trim();
        }

        String or(String key, String fallback) {
            String v = value(key);
            return v == null ? fallback : v;
        }

        List<String> list(String key, String fallback) {
            return Arrays.stream(or(key, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }
}
