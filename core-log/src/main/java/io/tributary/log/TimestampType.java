package io.tributary.log;

/** Which time a topic's records carry: the producer's, or the broker's at append. */
public enum TimestampType {
    CREATE_TIME("CreateTime"),
    LOG_APPEND_TIME("LogAppendTime");

    private final String configValue;

    TimestampType(String configValue) {
        this.configValue = configValue;
    }

    /** The value as written in {@code message.timestamp.type}. */
    public String configValue() {
        return configValue;
    }

    public static TimestampType parse(String value) {
        for (TimestampType type : values()) {
            if (type.configValue.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException(value);
    }
}
