package io.tributary.kafka.half;

/**
 * The Tributary extension APIs for half messages (docs/protocol.md), on the Kafka listener under API keys
 * far above Kafka's own, each at version 0 only, never advertised in ApiVersions. A real Kafka broker
 * closes the connection on any of them (an unknown API key).
 */
public enum HalfApi {
    SEND_HALF(32000, "SendHalf"),
    END_HALF(32001, "EndHalf"),
    POLL_CHECK(32002, "PollCheck");

    /** The lowest API key Tributary uses for its extensions; Kafka's own keys stay far below. */
    public static final short FIRST_EXTENSION_KEY = 32000;
    public static final short VERSION = 0;

    public final short key;
    public final String title;

    HalfApi(int key, String title) {
        this.key = (short) key;
        this.title = title;
    }

    /** The API of {@code key}, or null. */
    public static HalfApi forKey(short key) {
        for (HalfApi api : values()) {
            if (api.key == key) {
                return api;
            }
        }
        return null;
    }
}
