package io.tributary.kafka;

import java.util.Locale;

/** Kafka's listener security protocols: whether a connection runs over TLS and authenticates with SASL. */
enum SecurityProtocol {
    PLAINTEXT(false, false),
    SSL(true, false),
    SASL_PLAINTEXT(false, true),
    SASL_SSL(true, true);

    private final boolean tls;
    private final boolean sasl;

    SecurityProtocol(boolean tls, boolean sasl) {
        this.tls = tls;
        this.sasl = sasl;
    }

    boolean tls() {
        return tls;
    }

    boolean sasl() {
        return sasl;
    }

    /** The protocol named {@code name} (any case), or {@code null} if this adapter does not serve it. */
    static SecurityProtocol of(String name) {
        for (SecurityProtocol p : values()) {
            if (p.name().equals(name.toUpperCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }
}
