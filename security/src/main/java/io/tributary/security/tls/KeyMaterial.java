package io.tributary.security.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Locale;

/**
 * A key store or trust store as Kafka's {@code ssl.keystore.*} / {@code ssl.truststore.*} keys
 * describe it: a {@code JKS} or {@code PKCS12} file with its password, or {@code PEM}, either as a
 * file ({@code location}) or inline (Kafka's {@code ssl.keystore.key} with
 * {@code ssl.keystore.certificate.chain}, or {@code ssl.truststore.certificates}).
 *
 * @param type         {@code JKS}, {@code PKCS12} or {@code PEM}
 * @param location     the file, or {@code null} for inline PEM
 * @param password     store password ({@code null} for PEM)
 * @param keyPassword  password of the private key ({@code ssl.key.password}); {@code null}: the store password
 *                     (JKS/PKCS12) or an unencrypted key (PEM)
 * @param inlinePem    PEM text (key and/or certificates) when {@code location} is {@code null}
 */
public record KeyMaterial(String type, Path location, char[] password, char[] keyPassword, String inlinePem) {
    /** Password of the in-memory store built from PEM. */
    static final char[] PEM_STORE_PASSWORD = new char[0];

    public KeyMaterial {
        type = type == null || type.isBlank() ? "JKS" : type.trim().toUpperCase(Locale.ROOT);
        if (!List.of("JKS", "PKCS12", "PEM").contains(type)) {
            throw new IllegalArgumentException("Unsupported store type '" + type + "': JKS, PKCS12 or PEM");
        }
        if (location == null && (inlinePem == null || !type.equals("PEM"))) {
            throw new IllegalArgumentException("A " + type + " store needs a location");
        }
    }

    /**
     * Loads the store. A PEM key store becomes an in-memory PKCS12 store holding one key entry
     * (alias {@code key}, password {@link #keyPasswordForStore()}); a PEM trust store one
     * certificate entry per certificate.
     *
     * @throws GeneralSecurityException if the file or text cannot be read as this type, or a password is wrong
     */
    public KeyStore load() throws GeneralSecurityException, IOException {
        if (!type.equals("PEM")) {
            KeyStore store = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(location)) {
                store.load(in, password);
            }
            return store;
        }
        String text = location != null ? Files.readString(location) : inlinePem;
        List<Certificate> certificates = Pem.certificates(text);
        PrivateKey key = Pem.privateKey(text, keyPassword);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        if (key != null) {
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException("PEM key store has a private key but no certificate chain");
            }
            store.setKeyEntry("key", key, PEM_STORE_PASSWORD, certificates.toArray(Certificate[]::new));
        } else {
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
        }
        return store;
    }

    /** The password that unlocks the key entries of {@link #load()}'s store. */
    public char[] keyPasswordForStore() {
        if (type.equals("PEM")) {
            return PEM_STORE_PASSWORD;
        }
        return keyPassword != null ? keyPassword : password;
    }

    @Override
    public String toString() {
        return type + (location != null ? " " + location : " (inline)");
    }
}
