package io.tributary.security.quota;

/**
 * The quota kinds, by the names Kafka's {@code kafka-configs} and {@code AlterClientQuotas} use.
 * {@code controller_mutation_rate} is stored and described but not enforced (there is no
 * controller here whose mutations it would pace).
 */
public enum QuotaType {
    /** Bytes of produce requests per second. */
    PRODUCER_BYTE_RATE("producer_byte_rate", true),
    /** Bytes of fetched records per second. */
    CONSUMER_BYTE_RATE("consumer_byte_rate", true),
    /** Percent of one network thread's time spent handling the client's requests, per second. */
    REQUEST_PERCENTAGE("request_percentage", false),
    /** Topic and partition creations and deletions per second (stored, not enforced). */
    CONTROLLER_MUTATION_RATE("controller_mutation_rate", false);

    private final String key;
    private final boolean integral;

    QuotaType(String key, boolean integral) {
        this.key = key;
        this.integral = integral;
    }

    /** The configuration key, as in Kafka. */
    public String key() {
        return key;
    }

    /** Whether Kafka takes the value as a long (the byte rates) rather than a double. */
    public boolean integral() {
        return integral;
    }

    /** The type of {@code key}, or {@code null} if Kafka has no such client quota. */
    public static QuotaType forKey(String key) {
        for (QuotaType type : values()) {
            if (type.key.equals(key)) {
                return type;
            }
        }
        return null;
    }
}
