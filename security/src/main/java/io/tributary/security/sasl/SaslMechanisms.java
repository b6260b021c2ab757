package io.tributary.security.sasl;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The SASL mechanisms of one listener, from Kafka's keys: {@code sasl.enabled.mechanisms} and, for
 * PLAIN, the static users of {@code listener.name.<listener>.plain.sasl.jaas.config} (else
 * {@code sasl.jaas.config}); a listener-prefixed key wins over the plain one. SCRAM users come from
 * the {@link ScramCredentialStore}; a SCRAM JAAS line is accepted and has nothing to configure.
 */
public final class SaslMechanisms {
    public static final String ENABLED_MECHANISMS = "sasl.enabled.mechanisms";
    public static final String JAAS_CONFIG = "sasl.jaas.config";
    /** KIP-368: the longest a SASL session lasts before the client must re-authenticate; 0 for ever. */
    public static final String REAUTH_MS = "connections.max.reauth.ms";
    /** Kafka's default for {@code sasl.enabled.mechanisms}. */
    public static final String DEFAULT_MECHANISMS = "GSSAPI";
    public static final List<String> SUPPORTED = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    /** Every key read here, without the {@code listener.name.<listener>.} prefix. */
    public static final Set<String> KEYS = Set.of(ENABLED_MECHANISMS, JAAS_CONFIG, "plain." + JAAS_CONFIG,
            "scram-sha-256." + JAAS_CONFIG, "scram-sha-512." + JAAS_CONFIG, REAUTH_MS);

    private final List<String> enabled;
    private final Map<String, String> plainUsers;
    private final ScramCredentialStore scram;
    private final long sessionLifetimeMs;

    private SaslMechanisms(List<String> enabled, Map<String, String> plainUsers, ScramCredentialStore scram,
                           long sessionLifetimeMs) {
        this.enabled = enabled;
        this.plainUsers = plainUsers;
        this.scram = scram;
        this.sessionLifetimeMs = sessionLifetimeMs;
    }

    /**
     * @throws IllegalArgumentException naming the key when a mechanism is not supported or PLAIN has no users
     */
    public static SaslMechanisms fromKafkaKeys(Map<String, String> settings, String listenerName,
                                               ScramCredentialStore scram) {
        String prefix = "listener.name." + listenerName.toLowerCase(Locale.ROOT) + ".";
        String enabledValue = first(settings, prefix + ENABLED_MECHANISMS, ENABLED_MECHANISMS);
        List<String> enabled = Arrays.stream((enabledValue == null ? DEFAULT_MECHANISMS : enabledValue).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(s -> s.toUpperCase(Locale.ROOT)).toList();
        if (enabled.isEmpty()) {
            throw new IllegalArgumentException(ENABLED_MECHANISMS + " of listener " + listenerName + " is empty");
        }
        for (String mechanism : enabled) {
            if (!SUPPORTED.contains(mechanism)) {
                throw new IllegalArgumentException(ENABLED_MECHANISMS + " of listener " + listenerName + " lists "
                        + mechanism + ", which is not supported (supported: " + SUPPORTED + ")"
                        + (enabledValue == null ? "; Kafka's default is GSSAPI, so set the key" : ""));
            }
        }
        Map<String, String> plainUsers = Map.of();
        if (enabled.contains(PlainServer.MECHANISM)) {
            String jaasKey = prefix + "plain." + JAAS_CONFIG;
            String jaas = first(settings, jaasKey, JAAS_CONFIG);
            if (jaas == null) {
                throw new IllegalArgumentException("PLAIN is enabled on listener " + listenerName + " but " + jaasKey
                        + " is not set");
            }
            try {
                plainUsers = Map.copyOf(JaasConfig.parse(jaas).plainUsers());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(jaasKey + ": " + e.getMessage(), e);
            }
            if (plainUsers.isEmpty()) {
                throw new IllegalArgumentException(jaasKey + " defines no users (user_<name>=\"<password>\")");
            }
        }
        String reauth = first(settings, prefix + REAUTH_MS, REAUTH_MS);
        long lifetime;
        try {
            lifetime = reauth == null ? 0 : Long.parseLong(reauth);
        } catch (NumberFormatException e) {
            lifetime = -1;
        }
        if (lifetime < 0) {
            throw new IllegalArgumentException(REAUTH_MS + " must be an integer >= 0, got '" + reauth + "'");
        }
        return new SaslMechanisms(enabled, plainUsers, scram, lifetime);
    }

    /**
     * {@code connections.max.reauth.ms} (listener-prefixed or not): how long a session lasts before the
     * client must re-authenticate (KIP-368); 0, Kafka's default, for ever.
     */
    public long sessionLifetimeMs() {
        return sessionLifetimeMs;
    }

    private static String first(Map<String, String> settings, String key, String fallback) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            v = settings.get(fallback);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The enabled mechanisms, in configuration order (what a SaslHandshake response lists). */
    public List<String> enabled() {
        return enabled;
    }

    /** A new exchange for {@code mechanism}, or {@code null} if it is not enabled here. */
    public SaslServerSession newSession(String mechanism) {
        if (!enabled.contains(mechanism)) {
            return null;
        }
        if (mechanism.equals(PlainServer.MECHANISM)) {
            return new PlainServer(plainUsers);
        }
        ScramMechanism scramMechanism = ScramMechanism.forName(mechanism);
        return new ScramServer(scramMechanism, user -> scram.get(user, scramMechanism));
    }
}
