package io.tributary.security.quota;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enforces the client quotas of a {@link ClientQuotaStore}: finds the quota that applies to a
 * request's (user, client id), records what the request cost against it, and says how long the
 * client must wait to be back within it.
 *
 * <p>The quota of each kind is looked up as Kafka looks it up, the first entity that sets it winning:
 * <pre>
 *  1 user=U, client-id=C          5 user=&lt;default&gt;, client-id=&lt;default&gt;
 *  2 user=U, client-id=&lt;default&gt;  6 user=&lt;default&gt;
 *  3 user=U                       7 client-id=C
 *  4 user=&lt;default&gt;, client-id=C  8 client-id=&lt;default&gt;
 * </pre>
 * Clients share a rate when they share the entity that matched: a quota on {@code user=U} is one
 * budget for all of U's clients; one on {@code user=<default>} is a budget per user. Rates are sampled
 * over {@code quota.window.num} windows of {@code quota.window.size.seconds} ({@link SampledRate}).
 * The throttle time is the time at the quota that the excess would take: {@code (rate - quota) /
 * quota × span}, bounded by one window for {@code request_percentage}, as in Kafka. Any thread.
 */
public final class ClientQuotas {
    public static final String WINDOW_NUM = "quota.window.num";
    public static final String WINDOW_SIZE_SECONDS = "quota.window.size.seconds";
    public static final int DEFAULT_WINDOW_NUM = 11;
    public static final int DEFAULT_WINDOW_SIZE_SECONDS = 1;
    public static final Set<String> KEYS = Set.of(WINDOW_NUM, WINDOW_SIZE_SECONDS);

    /** Rates not recorded into for this long are dropped (Kafka expires its quota sensors after an hour). */
    private static final long IDLE_RATE_MS = TimeUnit.HOURS.toMillis(1);

    private final ClientQuotaStore store;
    private final int samples;
    private final long windowMs;
    private final Map<RateKey, SampledRate> rates = new ConcurrentHashMap<>();
    private final AtomicLong lastSweepMs = new AtomicLong();

    private ClientQuotas(ClientQuotaStore store, int samples, long windowMs) {
        this.store = store;
        this.samples = samples;
        this.windowMs = windowMs;
    }

    /**
     * @throws IllegalArgumentException naming the key of a window setting that is not an integer ≥ 1
     */
    public static ClientQuotas fromKafkaKeys(Map<String, String> settings, ClientQuotaStore store) {
        return new ClientQuotas(store, positive(settings, WINDOW_NUM, DEFAULT_WINDOW_NUM),
                TimeUnit.SECONDS.toMillis(positive(settings, WINDOW_SIZE_SECONDS, DEFAULT_WINDOW_SIZE_SECONDS)));
    }

    private static int positive(Map<String, String> settings, String key, int defaultValue) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(key + " must be an integer >= 1, got '" + value + "'");
    }

    /** The quotas themselves, as AlterClientQuotas and DescribeClientQuotas see them. */
    public ClientQuotaStore store() {
        return store;
    }

    /** Whether any quota is set at all; when not, nothing needs recording. */
    public boolean active() {
        return !store.isEmpty();
    }

    /**
     * The quota of {@code type} for a request of {@code user} with {@code clientId}, by Kafka's
     * precedence, or {@code null} if none applies.
     */
    public Limit limit(QuotaType type, String user, String clientId) {
        QuotaEntity.Name u = QuotaEntity.Name.of(user);
        QuotaEntity.Name c = QuotaEntity.Name.of(clientId);
        QuotaEntity.Name any = QuotaEntity.Name.DEFAULT;
        QuotaEntity[] order = {
            new QuotaEntity(u, c), new QuotaEntity(u, any), QuotaEntity.user(u),
            new QuotaEntity(any, c), new QuotaEntity(any, any), QuotaEntity.user(any),
            QuotaEntity.clientId(c), QuotaEntity.clientId(any),
        };
        for (QuotaEntity entity : order) {
            Double bound = store.get(entity).get(type);
            if (bound != null) {
                return new Limit(type, entity, bound);
            }
        }
        return null;
    }

    /**
     * Records {@code value} (bytes, or percent-seconds of request time: see {@link #requestPercentSeconds})
     * against the quota of {@code type} that applies, if any.
     *
     * @return how long the client must now wait to be within its quota, 0 if it is within it
     */
    public long recordAndGetThrottleMs(QuotaType type, String user, String clientId, double value, long nowMs) {
        Limit limit = limit(type, user, clientId);
        if (limit == null) {
            return 0;
        }
        sweep(nowMs);
        SampledRate rate = rates.computeIfAbsent(RateKey.of(limit, user, clientId), k -> new SampledRate(samples, windowMs));
        double observed = rate.record(value, nowMs);
        if (observed <= limit.bound) {
            return 0;
        }
        long throttle = Math.round((observed - limit.bound) / limit.bound * rate.spanMs(nowMs));
        return type == QuotaType.REQUEST_PERCENTAGE ? Math.min(throttle, windowMs) : throttle;
    }

    /**
     * Takes back {@code value} recorded by {@link #recordAndGetThrottleMs}, for an answer that did
     * not deliver what was counted.
     */
    public void unrecord(QuotaType type, String user, String clientId, double value, long nowMs) {
        Limit limit = limit(type, user, clientId);
        SampledRate rate = limit == null ? null : rates.get(RateKey.of(limit, user, clientId));
        if (rate != null) {
            rate.unrecord(value, nowMs);
        }
    }

    /** Request handling time as Kafka's request quota counts it: percent of one thread for one second. */
    public static double requestPercentSeconds(long nanos) {
        return nanos * 100.0 / TimeUnit.SECONDS.toNanos(1);
    }

    private void sweep(long nowMs) {
        long last = lastSweepMs.get();
        if (nowMs - last >= windowMs * samples && lastSweepMs.compareAndSet(last, nowMs)) {
            rates.values().removeIf(r -> nowMs - r.lastRecordMs() > IDLE_RATE_MS);
        }
    }

    /**
     * The quota that applies to a request.
     *
     * @param entity the entity it is set on
     * @param bound  its value: bytes per second, or percent
     */
    public record Limit(QuotaType type, QuotaEntity entity, double bound) {
    }

    /** Whose rate a quota is measured on: the matched entity with its defaults filled in. */
    private record RateKey(QuotaType type, String user, String clientId) {
        static RateKey of(Limit limit, String user, String clientId) {
            return new RateKey(limit.type(), limit.entity().user() == null ? null : user,
                    limit.entity().clientId() == null ? null : clientId);
        }
    }
}
