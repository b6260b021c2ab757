package io.tributary.security.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kafka's connection limits, shared by every listener of the broker: {@code max.connections} open
 * connections in total, {@code max.connections.per.ip} from one address, with per-address exceptions
 * in {@code max.connections.per.ip.overrides} ({@code host:count,...}, host a name or an address).
 * A connection over a limit is closed as soon as it is accepted, as in Kafka. Any thread.
 */
public final class ConnectionQuota {
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = "max.connections.per.ip.overrides";
    public static final Set<String> KEYS = Set.of(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP, MAX_CONNECTIONS_PER_IP_OVERRIDES);

    /** Why a connection was refused. */
    public enum Refusal { TOTAL, PER_IP }

    private final int maxTotal;
    private final int maxPerIp;
    private final Map<InetAddress, Integer> overrides;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

    private ConnectionQuota(int maxTotal, int maxPerIp, Map<InetAddress, Integer> overrides) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
        this.overrides = overrides;
    }

    /**
     * @throws IllegalArgumentException naming the key of a value that is not a count ≥ 0 (≥ 1 for
     *                                  {@code max.connections}) or a host that does not resolve
     */
    public static ConnectionQuota fromKafkaKeys(Map<String, String> settings) {
        int total = count(settings, MAX_CONNECTIONS, 1);
        int perIp = count(settings, MAX_CONNECTIONS_PER_IP, 0);
        Map<InetAddress, Integer> overrides = new HashMap<>();
        String list = settings.getOrDefault(MAX_CONNECTIONS_PER_IP_OVERRIDES, "").trim();
        for (String entry : list.isEmpty() ? new String[0] : list.split(",")) {
            int colon = entry.lastIndexOf(':');
            try {
                overrides.put(InetAddress.getByName(entry.substring(0, colon).trim()),
                        Integer.parseInt(entry.substring(colon + 1).trim()));
            } catch (UnknownHostException | RuntimeException e) {
                throw new IllegalArgumentException(MAX_CONNECTIONS_PER_IP_OVERRIDES + ": '" + entry
                        + "' is not host:count", e);
            }
        }
        return new ConnectionQuota(total, perIp, Map.copyOf(overrides));
    }

    private static int count(Map<String, String> settings, String key, int min) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            return Integer.MAX_VALUE;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(key + " must be an integer >= " + min + ", got '" + value + "'");
    }

    /**
     * Counts a new connection from {@code address}, or refuses it (and counts nothing).
     *
     * @return {@code null} if accepted — then {@link #release} it exactly once when it closes — else why not
     */
    public Refusal tryAcquire(InetAddress address) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Refusal.TOTAL;
        }
        int limit = overrides.getOrDefault(address, maxPerIp);
        AtomicInteger count = perIp.computeIfAbsent(address, a -> new AtomicInteger());
        if (count.incrementAndGet() > limit) {
            release(address);
            return Refusal.PER_IP;
        }
        return null;
    }

    /** Forgets one connection from {@code address} that {@link #tryAcquire} accepted. */
    public void release(InetAddress address) {
        total.decrementAndGet();
        perIp.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Open connections counted now; for tests and metrics. */
    public int open() {
        return total.get();
    }
}
