package io.tributary.security.tls;

import java.util.Locale;

/** Kafka's {@code ssl.client.auth}: whether a TLS listener asks clients for a certificate. */
public enum ClientAuth {
    /** A client without a trusted certificate fails the handshake. */
    REQUIRED,
    /** A client may present a certificate; one that does not still connects (as ANONYMOUS). */
    REQUESTED,
    /** No client certificate is asked for. */
    NONE;

    /**
     * @throws IllegalArgumentException for anything but {@code required}, {@code requested}, {@code none}
     */
    public static ClientAuth parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ssl.client.auth must be one of required, requested, none; got '"
                    + value + "'", e);
        }
    }
}
