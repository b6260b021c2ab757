package io.tributary.jms;

import jakarta.jms.JMSException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and how a connection reaches the broker, parsed from {@code host:port[,host:port…]} (as Kafka's
 * {@code bootstrap.servers} is written) or {@code tributary://host:port[,host:port…][?option=value&…]}.
 *
 * <table>
 *   <caption>URL options (also settable on the factory)</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>clientId</td><td>none</td><td>the connection's client ID (names durable subscriptions)</td></tr>
 *   <tr><td>user, password</td><td>none</td><td>authenticate with SASL (PLAIN unless {@code kafka.sasl.mechanism}
 *       says {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}) over {@code SASL_PLAINTEXT} unless
 *       {@code kafka.security.protocol} says {@code SASL_SSL}</td></tr>
 *   <tr><td>kafka.<i>key</i></td><td>none</td><td>any kafka-clients setting for the clients inside the provider,
 *       e.g. {@code kafka.security.protocol=SASL_SSL}, {@code kafka.ssl.truststore.location=…}; the provider's own
 *       delivery settings (acks, idempotence, timeouts, deserializers) win over these</td></tr>
 *   <tr><td>reconnect</td><td>false</td><td>keep the connection across a broker outage (see docs/jms.md)</td></tr>
 *   <tr><td>failureDetectionMs</td><td>10000</td><td>how long the broker may be unreachable before the
 *       ExceptionListener is called (reconnect=false)</td></tr>
 *   <tr><td>lingerMs</td><td>0</td><td>how long the connection's producer waits to batch sends (Kafka
 *       {@code linger.ms}); 0 sends at once, and batches only what queues up behind requests in flight</td></tr>
 *   <tr><td>sendTimeoutMs</td><td>30000</td><td>longest a send (or creating the connection) waits for the broker</td></tr>
 * </table>
 */
public record ConnectionOptions(String bootstrapServers, String clientId, String user, String password,
                                boolean reconnect, long failureDetectionMs, long sendTimeoutMs, long lingerMs,
                                Map<String, String> kafka) {
    private static final String KAFKA_PREFIX = "kafka.";

    /** Options without {@code kafka.}-prefixed client settings. */
    public ConnectionOptions(String bootstrapServers, String clientId, String user, String password,
                             boolean reconnect, long failureDetectionMs, long sendTimeoutMs, long lingerMs) {
        this(bootstrapServers, clientId, user, password, reconnect, failureDetectionMs, sendTimeoutMs, lingerMs, Map.of());
    }

    /**
     * The settings every kafka-clients client inside the provider starts from: SASL from {@code user} and
     * {@code password}, then the {@code kafka.}-prefixed options without their prefix.
     */
    public Map<String, Object> kafkaClientConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        if (user != null) {
            String mechanism = kafka.getOrDefault("sasl.mechanism", "PLAIN");
            String module = mechanism.startsWith("SCRAM-") ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : "org.apache.kafka.common.security.plain.PlainLoginModule";
            config.put("security.protocol", "SASL_PLAINTEXT");
            config.put("sasl.mechanism", mechanism);
            config.put("sasl.jaas.config", module + " required username=\"" + jaasQuoted(user) + "\" password=\""
                    + jaasQuoted(password == null ? "" : password) + "\";");
        }
        config.putAll(kafka);
        return config;
    }

    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** {@code next} (built without client settings) with these options' client settings kept. */
    private ConnectionOptions withKafka0(ConnectionOptions next) {
        return next.withKafka(kafka);
    }

    private ConnectionOptions withKafka(Map<String, String> kafkaOptions) {
        return new ConnectionOptions(bootstrapServers, clientId, user, password, reconnect, failureDetectionMs,
                sendTimeoutMs, lingerMs, Map.copyOf(kafkaOptions));
    }
    public static final long DEFAULT_FAILURE_DETECTION_MS = 10_000;
    public static final long DEFAULT_SEND_TIMEOUT_MS = 30_000;

    /**
     * Parses a broker URL.
     *
     * @throws JMSException naming the problem if it is neither form or has an unknown or malformed option
     */
    public static ConnectionOptions parse(String url) throws JMSException {
        if (url == null || url.isBlank()) {
            throw new JMSException("no broker URL: give host:port[,host:port...] or tributary://host:port?option=value");
        }
        String servers = url.trim();
        Map<String, String> options = new LinkedHashMap<>();
        if (servers.contains("://")) {
            if (!servers.startsWith("tributary://")) {
                throw new JMSException("unknown URL scheme in '" + url + "': use tributary://host:port or host:port");
            }
            servers = servers.substring("tributary://".length());
            int query = servers.indexOf('?');
            if (query >= 0) {
                for (String pair : servers.substring(query + 1).split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new JMSException("malformed option '" + pair + "' in '" + url + "': use name=value");
                    }
                    options.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
                servers = servers.substring(0, query);
            }
            if (servers.endsWith("/")) {
                servers = servers.substring(0, servers.length() - 1);
            }
        }
        for (String server : servers.split(",")) {
            int colon = server.lastIndexOf(':');
            if (colon <= 0 || colon == server.length() - 1 || !server.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new JMSException("'" + server + "' in '" + url + "' is not host:port");
            }
        }
        ConnectionOptions result = new ConnectionOptions(servers, null, null, null, false,
                DEFAULT_FAILURE_DETECTION_MS, DEFAULT_SEND_TIMEOUT_MS, 0);
        for (Map.Entry<String, String> o : options.entrySet()) {
            result = result.with(o.getKey(), o.getValue());
        }
        return result;
    }

    /** These options with {@code name} set to {@code value}. @throws JMSException for an unknown name or bad value */
    public ConnectionOptions with(String name, String value) throws JMSException {
        if (name.startsWith(KAFKA_PREFIX) && name.length() > KAFKA_PREFIX.length()) {
            Map<String, String> next = new LinkedHashMap<>(kafka);
            next.put(name.substring(KAFKA_PREFIX.length()), value);
            return withKafka(next);
        }
        try {
            return withKafka0(switch (name) {
                case "clientId" -> new ConnectionOptions(bootstrapServers, value, user, password, reconnect,
                        failureDetectionMs, sendTimeoutMs, lingerMs);
                case "user" -> new ConnectionOptions(bootstrapServers, clientId, value, password, reconnect,
                        failureDetectionMs, sendTimeoutMs, lingerMs);
                case "password" -> new ConnectionOptions(bootstrapServers, clientId, user, value, reconnect,
                        failureDetectionMs, sendTimeoutMs, lingerMs);
                case "reconnect" -> new ConnectionOptions(bootstrapServers, clientId, user, password,
                        parseBoolean(value), failureDetectionMs, sendTimeoutMs, lingerMs);
                case "failureDetectionMs" -> new ConnectionOptions(bootstrapServers, clientId, user, password, reconnect,
                        positive(value), sendTimeoutMs, lingerMs);
                case "sendTimeoutMs" -> new ConnectionOptions(bootstrapServers, clientId, user, password, reconnect,
                        failureDetectionMs, positive(value), lingerMs);
                case "lingerMs" -> new ConnectionOptions(bootstrapServers, clientId, user, password, reconnect,
                        failureDetectionMs, sendTimeoutMs, nonNegative(value));
                default -> throw new JMSException("unknown connection option '" + name + "'; known: clientId, user,"
                        + " password, reconnect, failureDetectionMs, sendTimeoutMs, lingerMs, kafka.<client setting>");
            });
        } catch (IllegalArgumentException e) {
            throw new JMSException("invalid value '" + value + "' for option " + name + ": " + e.getMessage());
        }
    }

    private static boolean parseBoolean(String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static long nonNegative(String value) {
        long v = Long.parseLong(value);
        if (v < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return v;
    }

    private static long positive(String value) {
        long v = Long.parseLong(value);
        if (v <= 0) {
            throw new IllegalArgumentException("must be positive");
        }
        return v;
    }
}
