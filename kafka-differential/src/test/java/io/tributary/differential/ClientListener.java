package io.tributary.differential;

import java.util.Map;

/**
 * The listener clients use on both brokers of a {@link BrokerPair}: its security protocol
 * ({@code PLAINTEXT}, {@code SASL_PLAINTEXT}, …) and the client settings that reach it (for a SASL listener
 * {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} of the user the pair's
 * Admins and readiness checks log in as).
 *
 * @param protocol       the listener's security protocol, also its name
 * @param clientSettings client properties added to every Admin the pair's helpers create
 */
record ClientListener(String protocol, Map<String, String> clientSettings) {
    /** No security: what every pair but the secured one uses. */
    static final ClientListener PLAINTEXT = new ClientListener("PLAINTEXT", Map.of());

    ClientListener {
        clientSettings = Map.copyOf(clientSettings);
    }
}
